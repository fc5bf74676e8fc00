// What a bot remembers between joins, as tbot does: its active key first
// (after a rotation or registration, the key the server now names), its
// latest join state, and its certificate with the key it was issued for.
import { X509Certificate } from 'node:crypto';
import type { BkpWorld, BotClient } from './world.js';
import type { JoinOutcome } from './ceremony.js';
import type { KeyHolder } from './keys.js';
import { findKey } from './keys.js';

export function rememberResult(client: BotClient, outcome: JoinOutcome, subjectKey: KeyHolder): void {
  const result = outcome.result?.bound_keypair_result;
  const boundKey = result?.public_key?.toString('utf8') ?? '';
  const all = [...outcome.offeredKeys, ...client.keys];
  const active = findKey(all, boundKey);
  if (active) client.keys = [active, ...all.filter((k) => k !== active)];
  if (result?.join_state?.length) client.joinState = result.join_state;
  const certDer = outcome.result?.certificates?.tls_cert;
  if (certDer?.length) {
    client.identity = { keyPem: subjectKey.privateKeyPem, certPem: new X509Certificate(certDer).toString(), certDer: Buffer.from(certDer) };
  }
}

/** The bot's certificate if it is still valid on the server's clock: what tbot would present. */
export async function certificateStillValid(world: BkpWorld, client: BotClient): Promise<BotClient['identity']> {
  if (!client.identity) return undefined;
  const notAfter = new Date(new X509Certificate(client.identity.certDer).validTo).getTime();
  return notAfter > (await world.serverNow()).getTime() ? client.identity : undefined;
}
