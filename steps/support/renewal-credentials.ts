// Helpers for the renewal (REN) and generation counter (GEN) steps: what a
// bot's certificate says, copies of certificates kept for later, a
// certificate forged with a CA of the adversary's own, and the generation a
// bot instance stores. Everything is read through the control API or decoded
// with the reference crypto codecs — never from the server.
import assert from 'node:assert/strict';
import { certificateDerToPem, createCertificateAuthority, issueBotCertificate, parseIdentityCertificate } from '../../reference/crypto/index.js';
import type { IdentityCertificate } from '../../reference/crypto/index.js';
import type { Json } from './control-client.js';
import type { BkpWorld, BotClient } from './world.js';
import { scenarioState } from './world.js';
import { newKey } from './keys.js';

export type HeldIdentity = NonNullable<BotClient['identity']>;

interface RenewalState {
  /** Certificates a bot kept a copy of, by "<bot>/<generation>". */
  kept: Map<string, HeldIdentity>;
  /** Token statuses as they were before a raw backend edit, by token name. */
  statusBeforeEdit: Map<string, Json>;
  /** Token resources an admin backed up, by name. */
  backups: Map<string, Json>;
  /** Generations and instances of the certificates of the last run of renewals. */
  renewals: { generation: number; instance: string }[];
}

export const renewalState = scenarioState<RenewalState>(() => ({ kept: new Map(), statusBeforeEdit: new Map(), backups: new Map(), renewals: [] }));

export function heldIdentity(world: BkpWorld, who: string): HeldIdentity {
  const identity = world.client(who).identity;
  assert.ok(identity, `"${who}" holds no certificate`);
  return identity;
}

export function identityOf(der: Buffer): IdentityCertificate {
  return parseIdentityCertificate(der);
}

export function keepCopy(world: BkpWorld, who: string, generation: number): void {
  const identity = heldIdentity(world, who);
  const held = identityOf(identity.certDer).generation;
  assert.equal(held, generation, `"${who}" holds a generation-${held} certificate, not generation ${generation}`);
  renewalState(world).kept.set(`${who}/${generation}`, { ...identity });
}

export function keptCopy(world: BkpWorld, who: string, generation: number): HeldIdentity {
  const kept = renewalState(world).kept.get(`${who}/${generation}`);
  assert.ok(kept, `"${who}" kept no copy of a generation-${generation} certificate; add 'Given "${who}" keeps a copy of its generation-${generation} certificate'`);
  return kept;
}

/** The TLS certificate the last join returned. */
export function resultCertificate(world: BkpWorld): Buffer {
  const der = world.outcome().result?.certificates?.tls_cert;
  assert.ok(der && der.length > 0, 'the last join returned no TLS certificate');
  return Buffer.from(der);
}

/**
 * A bot certificate carrying exactly the identity fields of `model` (cluster,
 * bot, bot instance, generation, join token), signed by a CA the adversary
 * made itself — with the cluster's own name, so that only the signature
 * tells the two apart.
 */
export async function forgeCertificate(world: BkpWorld, model: HeldIdentity, lifetime: { notBefore: Date; notAfter: Date }): Promise<HeldIdentity> {
  const identity = identityOf(model.certDer);
  assert.ok(identity.botName && identity.botInstanceId && identity.generation && identity.joinToken, 'the model certificate is not a bot identity');
  const ca = await createCertificateAuthority({ clusterName: world.clusterName, algorithm: 'ecdsa-p256', now: new Date(lifetime.notBefore.getTime() - 3_600_000) });
  const subject = newKey('ecdsa-p256');
  const der = await issueBotCertificate({
    ca,
    subjectPublicKey: subject.publicKey,
    clusterName: identity.clusterName ?? world.clusterName,
    botName: identity.botName,
    botInstanceId: identity.botInstanceId,
    generation: identity.generation,
    joinToken: identity.joinToken,
    ...lifetime,
  });
  return { keyPem: subject.privateKeyPem, certPem: certificateDerToPem(der), certDer: der };
}

// ------------------------------------------------------------- server state

/** The generation a renewal of this instance must present: its newest authentication's. */
export function storedGeneration(instance: Json): number {
  const status = instance.status as Json;
  const latest = (status.latest_authentications as Json[] | undefined)?.at(-1) ?? (status.initial_authentication as Json);
  return Number(latest.generation);
}
