// One identity renewal attempt, as tbot's identity service makes it:
// check the storage is writable (C-LC-7), load the stored identity, present
// it when it is valid (an authenticated renewal, C-LC-1) or discard it with
// a warning and join unauthenticated (C-LC-2), save the new identity, and
// log one `Bot identity renewed` line an observer can follow.
import { X509Certificate } from 'node:crypto';
import type { BotLog } from '../log.js';
import type { BotIdentity } from '../join/join-types.js';
import type { BotOperations, StoredIdentity } from './bot-operations.js';
import { LocalStateError, errorFields, messageOf } from './exit-codes.js';

/**
 * tbot's warning for an identity it will not present (client notes §3.8,
 * C-LC-2; the notes quote it up to "…", which we end with a full stop).
 * Used for expired, not-yet-valid and other-token identities alike; the
 * `reason` field tells them apart.
 */
export const UNUSABLE_IDENTITY_WARNING =
  'The bot identity appears to be expired and will not be used to authenticate the identity renewal. If it is possible to rejoin, a new bot instance will be created.';

export type RenewalKind = 'renewal' | 'recovery' | 'onboarding';

export async function checkWritable(ops: BotOperations): Promise<void> {
  try {
    await ops.checkWritable();
  } catch (err) {
    throw new LocalStateError(`Cannot write to destination ${ops.storageLabel}, aborting.`, { cause: err });
  }
}

/** The stored identity (if any) and the one to present (only a valid one). */
export async function loadStoredIdentity(ops: BotOperations, log: BotLog): Promise<{ stored?: StoredIdentity; present?: BotIdentity }> {
  let stored: StoredIdentity | undefined;
  try {
    stored = await ops.loadIdentity();
  } catch (err) {
    // As tbot: an unreadable identity is a warning, and the bot joins afresh.
    log.warn('Failed to load existing bot identity from store', errorFields(err));
    return {};
  }
  if (!stored) return {};
  if (stored.state === 'valid') return { stored, present: stored.identity };
  log.warn(UNUSABLE_IDENTITY_WARNING, { reason: stored.state, not_after: notAfter(stored.identity) });
  return { stored };
}

/** Joins (authenticated when `present` is given), saves the identity, logs the renewal. */
export async function joinAndSave(
  ops: BotOperations, log: BotLog, loaded: { stored?: StoredIdentity; present?: BotIdentity },
): Promise<{ identity: BotIdentity; kind: RenewalKind }> {
  const outcome = await ops.join(loaded.present);
  const kind: RenewalKind = loaded.present ? 'renewal' : loaded.stored || outcome.hadJoinState ? 'recovery' : 'onboarding';
  await ops.saveIdentity(outcome.identity);
  log.info('Bot identity renewed', { kind, not_after: notAfter(outcome.identity) });
  return { identity: outcome.identity, kind };
}

/** One whole renewal attempt of the renewal loop. */
export async function renewOnce(ops: BotOperations, log: BotLog): Promise<{ identity: BotIdentity; kind: RenewalKind }> {
  await checkWritable(ops);
  return joinAndSave(ops, log, await loadStoredIdentity(ops, log));
}

/** The certificate's expiry as RFC 3339, or a note when it cannot be read. */
export function notAfter(identity: BotIdentity): string {
  try {
    return new Date(new X509Certificate(identity.tlsCertPem).validTo).toISOString();
  } catch (err) {
    return `unreadable (${messageOf(err)})`;
  }
}
