// Helpers for the renewal (REN) and generation counter (GEN) steps: what a
// bot's certificate says, copies of certificates kept for later, a
// certificate forged with a CA of the adversary's own, and the locks and bot
// instances a renewal leaves behind. Everything is read through the control
// API or decoded with the reference crypto codecs — never from the server.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { certificateDerToPem, createCertificateAuthority, issueBotCertificate, parseIdentityCertificate } from '../../reference/crypto/index.js';
import type { IdentityCertificate } from '../../reference/crypto/index.js';
import type { Json } from './control-client.js';
import type { BkpWorld, BotClient } from './world.js';
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
  /** Bound bot instance IDs in the order the token was bound to them. */
  lineage: string[];
}

const states = new WeakMap<BkpWorld, RenewalState>();

export function renewalState(world: BkpWorld): RenewalState {
  let s = states.get(world);
  if (!s) {
    s = { kept: new Map(), statusBeforeEdit: new Map(), backups: new Map(), renewals: [], lineage: [] };
    states.set(world, s);
  }
  return s;
}

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

export function validity(identity: HeldIdentity): { notBefore: number; notAfter: number } {
  const cert = new X509Certificate(identity.certDer);
  return { notBefore: new Date(cert.validFrom).getTime(), notAfter: new Date(cert.validTo).getTime() };
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

export function boundKeypairStatus(token: Json | undefined): Json {
  return ((token?.status as Json | undefined)?.bound_keypair as Json | undefined) ?? {};
}

export async function boundInstanceId(world: BkpWorld, token: string): Promise<string> {
  const id = String(boundKeypairStatus(await world.control.getToken(token)).bound_bot_instance_id ?? '');
  assert.ok(id, `token "${token}" is bound to no bot instance`);
  return id;
}

export async function botNameOf(world: BkpWorld, token: string): Promise<string> {
  return String(((await world.control.getToken(token)).spec as Json).bot_name ?? '');
}

export async function botInstance(world: BkpWorld, id: string): Promise<Json> {
  const found = (await world.control.listBotInstances()).find((i) => (i.metadata as Json).name === id);
  assert.ok(found, `bot instance ${id} is not listed`);
  return found;
}

/** The generation a renewal of this instance must present: its newest authentication's. */
export function storedGeneration(instance: Json): number {
  const status = instance.status as Json;
  const latest = (status.latest_authentications as Json[] | undefined)?.at(-1) ?? (status.initial_authentication as Json);
  return Number(latest.generation);
}

export function generationMismatchLockMessage(token: string, bot: string, instance: string): string {
  return `Bot joins via the token "${token}" have been locked due to a certificate generation mismatch by ${bot}/${instance}, possibly indicating a stolen certificate.`;
}

export function locksOnToken(locks: Json[], token: string): Json[] {
  return locks.filter((l) => ((l.spec as Json).target as Json | undefined)?.join_token === token);
}

/**
 * Asserts that since the last join the server gained exactly one lock, on
 * {join_token: token} alone, whose message satisfies `check`, and that
 * tokens and bot instances are exactly as they were.
 */
export async function assertOnlyNewLock(world: BkpWorld, token: string, check: (message: string) => void): Promise<Json> {
  const before = world.before;
  assert.ok(before, 'no state was recorded before the last join');
  const [tokens, instances, locks] = await Promise.all([world.control.listTokens(), world.control.listBotInstances(), world.control.listLocks()]);
  const byName = (items: Json[]) => new Map(items.map((i) => [String((i.metadata as Json).name), i]));
  assert.deepEqual(byName(tokens), before.tokens, 'the failed join changed a token');
  assert.deepEqual(byName(instances), before.botInstances, 'the failed join changed a bot instance');
  const added = locks.filter((l) => !before.locks.has(String((l.metadata as Json).name)));
  const kept = locks.filter((l) => before.locks.has(String((l.metadata as Json).name)));
  assert.equal(kept.length, before.locks.size, 'the failed join removed a lock');
  assert.equal(added.length, 1, `expected exactly one new lock, got ${JSON.stringify(added)}`);
  const lock = added[0] as Json;
  const spec = lock.spec as Json;
  assert.deepEqual(spec.target, { join_token: token }, 'target of the new lock');
  check(String(spec.message ?? ''));
  return lock;
}
