// Branch E of §3: a key is bound but the caller presents no identity (its
// certificates expired or were lost). Proving the key buys a new bot
// instance, at the price of one recovery — in standard mode only while the
// limit allows, and checked after the key proof so a caller without the key
// learns nothing about the token.
import type { BoundKeypairSpec, BoundKeypairStatus, RecoveryMode } from '../../tokens/token.js';
import type { BoundKeypairInit } from '../../../protocol/messages.js';
import { accessDenied } from '../../../protocol/errors.js';
import { recordRecovery } from './audit-events.js';
import { assertNotLocked } from '../../locks/lock-check.js';
import type { JoinAttempt } from '../join-context.js';
import type { BranchOutcome } from './branch-outcome.js';
import { proveKeyPossession } from './ceremony.js';
import { checkJoinState } from './join-state-check.js';
import { consumeRecovery } from './mutations.js';
import { mutantActive } from '../../../mutants/switch.js';

export async function recover(
  j: JoinAttempt,
  init: BoundKeypairInit,
  spec: BoundKeypairSpec,
  status: BoundKeypairStatus,
  mode: RecoveryMode,
): Promise<BranchOutcome> {
  const boundKey = status.bound_public_key ?? '';
  const count = status.recovery_count ?? 0;
  const limit = spec.recovery?.limit ?? 0;
  const recoveryEvent = (error: unknown, recoveryCount: number) => recordRecovery(j, spec, boundKey, recoveryCount, error);

  // Mutant: server-limit-checked-before-challenge refuses before the key proof.
  if (mutantActive('server-limit-checked-before-challenge') && mode === 'standard' && count >= limit) throw accessDenied('no recovery attempts remaining');
  try {
    await proveKeyPossession(j, boundKey);
  } catch (err) {
    await recoveryEvent(err, count);
    throw err;
  }
  // Mutant: server-relaxed-mode-limited limits relaxed mode too.
  if ((mode === 'standard' || (mutantActive('server-relaxed-mode-limited') && mode === 'relaxed')) && count >= limit) throw accessDenied('no recovery attempts remaining');
  // Mutant: server-lock-checked-after-join-state moves the lock check after the join state check.
  if (!mutantActive('server-lock-checked-after-join-state')) await assertNotLocked(j.deps.store, [{ join_token: j.token.metadata.name }], j.deps.clock.now());
  const verified = await checkJoinState(j, init, status, mode);
  if (mutantActive('server-lock-checked-after-join-state')) await assertNotLocked(j.deps.store, [{ join_token: j.token.metadata.name }], j.deps.clock.now());
  // Mutant: server-recovery-not-counted plans no recovery_count change.
  const plan = mutantActive('server-recovery-not-counted') ? [] : [consumeRecovery(count, limit, j.deps.clock.now())];
  await recoveryEvent(undefined, count + 1);
  const outcome: BranchOutcome = { plan, boundKey, newIdentity: true };
  if (verified?.botInstanceId) outcome.previousInstanceId = verified.botInstanceId;
  return outcome;
}
