// What a bot remembers between joins, as tbot does: its active key first
// (after a rotation or registration, the key the server now names), its
// latest join state, and its certificate with the key it was issued for —
// and what a copy of all that (a thief's, a cloned VM's) holds.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { BkpWorld, BotClient } from './world.js';
import type { JoinOutcome } from './ceremony.js';
import type { KeyHolder } from './keys.js';
import { findKey, newKey } from './keys.js';

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

/** What a copy of a bot's data directory holds; without the keypair the copy holds a key of its own. */
export interface CopiedParts {
  keypair: boolean;
  certificate: boolean;
  joinState: boolean;
}

/**
 * A new bot client holding copies of what `source` keeps now: a snapshot,
 * so what the original does afterwards is not copied. Every part asked for
 * must be there to copy.
 */
export function copyOfBot(source: BotClient, name: string, parts: CopiedParts): BotClient {
  if (parts.keypair) assert.ok(source.keys.length > 0, `setting the scene: "${source.name}" holds no keypair to copy`);
  if (parts.certificate) assert.ok(source.identity, `setting the scene: "${source.name}" holds no certificate to copy`);
  if (parts.joinState) assert.ok(source.joinState && source.joinState.length > 0, `setting the scene: "${source.name}" holds no join state to copy`);
  const copy: BotClient = { name, keys: parts.keypair ? [...source.keys] : [newKey('ed25519')] };
  if (parts.joinState && source.joinState) copy.joinState = Buffer.from(source.joinState);
  if (parts.certificate && source.identity) copy.identity = { ...source.identity, certDer: Buffer.from(source.identity.certDer) };
  return copy;
}
