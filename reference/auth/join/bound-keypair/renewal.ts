// Branch D of §3: a key is bound and the caller presents a certificate we
// issued. Nothing is counted: the same bot instance (or host) continues.
// The instance check comes after join state verification (since Teleport
// 18.1.5) so that a thief's recovery makes the legitimate client's next
// renewal fail verification and lock the token, instead of failing quietly.
import type { BoundKeypairStatus, RecoveryMode } from '../../tokens/token.js';
import type { BoundKeypairInit } from '../../../protocol/messages.js';
import { accessDenied } from '../../../protocol/errors.js';
import { assertNotLocked } from '../../locks/lock-check.js';
import type { JoinAttempt } from '../join-context.js';
import type { BranchOutcome } from './branch-outcome.js';
import { proveKeyPossession } from './ceremony.js';
import { checkJoinState } from './join-state-check.js';
import { identityLockTargets } from './lock-targets.js';
import { mutantActive } from '../../../mutants/switch.js';
import { consumeRecovery } from './mutations.js';

export async function renew(j: JoinAttempt, init: BoundKeypairInit, status: BoundKeypairStatus, mode: RecoveryMode): Promise<BranchOutcome> {
  const boundKey = status.bound_public_key ?? '';
  await proveKeyPossession(j, boundKey);
  // Mutant: server-lock-checked-after-join-state moves the lock check after the join state check.
  if (!mutantActive('server-lock-checked-after-join-state')) await assertNotLocked(j.deps.store, identityLockTargets(j), j.deps.clock.now());
  await checkJoinState(j, init, status, mode);
  if (mutantActive('server-lock-checked-after-join-state')) await assertNotLocked(j.deps.store, identityLockTargets(j), j.deps.clock.now());
  // Mutant: server-bot-instance-mismatch-ignored skips the bot instance check.
  if (!mutantActive('server-bot-instance-mismatch-ignored') && (status.bound_bot_instance_id ?? '') !== (j.auth.botInstanceId ?? '')) throw accessDenied('bot instance mismatch');
  if ((status.bound_host_id ?? '') !== (j.auth.hostId ?? '')) throw accessDenied('host ID mismatch');
  // Mutant: server-renewal-counted-as-recovery counts the renewal as a recovery.
  if (mutantActive('server-renewal-counted-as-recovery')) return { plan: [consumeRecovery(status.recovery_count ?? 0, 0, j.deps.clock.now())], boundKey, newIdentity: false };
  return { plan: [], boundKey, newIdentity: false };
}
