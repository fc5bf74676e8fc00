// What the lifecycle needs from the rest of the bot, as one interface: the
// storage checks, the stored identity, and one join. The real implementation
// (live-operations.ts) wires the state layer and the join client; the
// lifecycle's unit tests use a scripted fake.
import type { BotIdentity } from '../join/join-types.js';
import type { IdentityState } from '../identity/identity-store.js';

/** How a stored identity relates to now and to the configured token (C-LC-1/2). */
export type { IdentityState };

export interface StoredIdentity {
  identity: BotIdentity;
  state: IdentityState;
}

export interface JoinOutcome {
  identity: BotIdentity;
  /** The client state held a join state before this join (so an unauthenticated join was a recovery). */
  hadJoinState: boolean;
}

export interface BotOperations {
  /** Where the bot keeps its state, for messages. */
  readonly storageLabel: string;
  /** Throws when the storage cannot be written (C-LC-7). */
  checkWritable(): Promise<void>;
  loadIdentity(): Promise<StoredIdentity | undefined>;
  /** Throws a LocalStateError when the identity cannot be written. */
  saveIdentity(identity: BotIdentity): Promise<void>;
  /** One bound keypair join; `identity` present → authenticated (a renewal). Throws BotJoinError, ConfigError or LocalStateError. */
  join(identity: BotIdentity | undefined): Promise<JoinOutcome>;
}
