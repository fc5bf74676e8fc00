// Branch A of §3: no key bound yet and no identity presented. The first
// successful join binds a key, either the one the admin pre-registered or a
// fresh one the client registers with the one-time secret. Onboarding counts
// as a recovery.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BoundKeypairSpec, BoundKeypairStatus, RecoveryMode } from '../../tokens/token.js';
import { accessDenied, badParameter, wrap } from '../../../protocol/errors.js';
import { isGoZeroTime, parseTimestamp } from '../../clock/clock.js';
import { recordRecovery } from './audit-events.js';
import type { JoinAttempt } from '../join-context.js';
import type { BoundKeypairInit } from '../../../protocol/messages.js';
import type { BranchOutcome } from './branch-outcome.js';
import { proveKeyPossession, obtainNewKey } from './ceremony.js';
import { consumeRecovery, setBoundPublicKey, clearRegistrationSecret } from './mutations.js';
import { assertNotLocked } from '../../locks/lock-check.js';
import { mutantActive } from '../../../mutants/switch.js';

export async function onboard(
  j: JoinAttempt,
  init: BoundKeypairInit,
  spec: BoundKeypairSpec,
  status: BoundKeypairStatus,
  mode: RecoveryMode,
): Promise<BranchOutcome> {
  const count = status.recovery_count ?? 0;
  const limit = spec.recovery?.limit ?? 0;
  // Mutant: server-onboarding-limit-ignored skips the limit.
  if (!mutantActive('server-onboarding-limit-ignored') && mode === 'standard' && count >= limit) throw accessDenied('no recovery attempts remaining');

  const recoveryEvent = (publicKey: string, error?: unknown, recoveryCount = count) => recordRecovery(j, spec, publicKey, recoveryCount, error);

  const plan = [];
  let boundKey: string;
  const initialKey = spec.onboarding?.initial_public_key ?? '';
  const secret = status.registration_secret ?? '';

  if (initialKey !== '') {
    // The pre-registered key wins: a registration secret is never consulted.
    try {
      await proveKeyPossession(j, initialKey);
    } catch (err) {
      await recoveryEvent(initialKey, err);
      // The detailed reason stays in the audit log; the client learns only this.
      throw accessDenied('failed to complete challenge', err instanceof Error ? err.message : String(err));
    }
    boundKey = initialKey;
    plan.push(setBoundPublicKey('', initialKey));
  } else if (secret !== '') {
    const refused = accessDenied('a valid registration secret is required');
    const offered = init.initial_join_secret ?? '';
    if (offered === '') {
      await recoveryEvent('', 'no registration secret was provided');
      throw refused;
    }
    const deadline = parseTimestamp(spec.onboarding?.must_register_before);
    // Unset or Go's zero time means no deadline; only strictly after it is
    // too late; expiry is not audited.
    // Mutant: server-registration-deadline-ignored skips the deadline.
    if (!mutantActive('server-registration-deadline-ignored') && deadline && !isGoZeroTime(deadline) && j.deps.clock.now().getTime() > deadline.getTime()) throw refused;
    if (!secretsEqual(secret, offered)) {
      await recoveryEvent('', 'registration secret comparison failed');
      throw refused;
    }
    try {
      const registered = await obtainNewKey(j);
      boundKey = registered.text;
    } catch (err) {
      await recoveryEvent('', err);
      throw wrap(err, 'requesting public key');
    }
    plan.push(setBoundPublicKey('', boundKey));
    // Mutant: server-registration-secret-not-cleared leaves the secret usable.
    if (!mutantActive('server-registration-secret-not-cleared')) plan.push(clearRegistrationSecret(secret));
  } else {
    throw badParameter('either an initial public key or registration secret is required');
  }

  plan.push(consumeRecovery(count, limit, j.deps.clock.now()));
  await assertNotLocked(j.deps.store, [{ join_token: j.token.metadata.name }], j.deps.clock.now());
  await recoveryEvent(boundKey, undefined, count + 1);
  return { plan, boundKey, newIdentity: true };
}

/** Constant time whatever the lengths: compare digests, not the strings. */
function secretsEqual(expected: string, offered: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(offered, 'utf8').digest();
  return timingSafeEqual(a, b);
}
