// What one branch of the handler (onboarding, renewal, recovery) decided:
// the status changes to commit and the identity the credentials are for.
import type { StatusMutation } from './mutations.js';

export interface BranchOutcome {
  plan: StatusMutation[];
  /** The key bound when the branch is done (before any rotation). */
  boundKey: string;
  /** Onboarding and recovery mint a new bot instance / host ID; renewal keeps it. */
  newIdentity: boolean;
  /** For a recovery: the bot instance the verified join state named. */
  previousInstanceId?: string;
}
