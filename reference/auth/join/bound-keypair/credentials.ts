// Certificates for a successful join, issued before the commit as Teleport
// does: if the commit then loses a race, the certificates are discarded but
// the bot instance record created here stays (an orphan, as in Teleport).
import { randomUUID, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { issueBotCertificate, issueSshUserCertificate, parseSshWirePublicKey, encodeSshWirePublicKey } from '../../../crypto/index.js';
import type { BotParams, Certificates, PublicKeys } from '../../../protocol/messages.js';
import { badParameter } from '../../../protocol/errors.js';
import { formatTimestamp } from '../../clock/clock.js';
import type { BotInstance, BotInstanceAuthentication } from '../../bot-instances/bot-instance.js';
import type { JoinAttempt } from '../join-context.js';

export interface SubjectKeys {
  tls: KeyObject;
  ssh: KeyObject;
}

/** Parses the certificate subject keys a client sent (PKIX DER for TLS, SSH wire for SSH). */
export function parseSubjectKeys(keys: PublicKeys | undefined, what: 'BotParams' | 'HostParams'): SubjectKeys {
  const tlsDer = keys?.public_tls_key;
  const sshWire = keys?.public_ssh_key;
  if (!tlsDer || tlsDer.length === 0) throw badParameter(`checking ${what}: PublicTLSKey is required`);
  if (!sshWire || sshWire.length === 0) throw badParameter(`checking ${what}: PublicSSHKey is required`);
  let tls: KeyObject;
  try {
    tls = createPublicKey({ key: tlsDer, format: 'der', type: 'spki' });
  } catch {
    throw badParameter(`checking ${what}: PublicTLSKey is not a PKIX DER public key`);
  }
  let ssh: KeyObject;
  try {
    ssh = parseSshWirePublicKey(sshWire);
  } catch (err) {
    throw badParameter(`checking ${what}: PublicSSHKey is not an SSH wire-format public key (${err instanceof Error ? err.message : err})`);
  }
  return { tls, ssh };
}

/** Parses the certificate subject keys and requested expiry a bot sent in BoundKeypairInit. */
export function parseBotParams(params: BotParams | undefined): { keys: SubjectKeys; expires?: Date } {
  const keys = parseSubjectKeys(params?.public_keys, 'BotParams');
  const seconds = params?.expires?.seconds;
  if (seconds === undefined) return { keys };
  const ms = Number(seconds) * 1000 + Math.floor((params?.expires?.nanos ?? 0) / 1e6);
  // Go's time reaches far beyond Date's ±8.64e15 ms: clamp, so a far-future
  // expiry is capped at the maximum TTL like any other, not taken for the past.
  return { keys, expires: new Date(Math.max(-MAX_DATE_MS, Math.min(MAX_DATE_MS, ms))) };
}

/** The largest distance from the epoch a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** Requested expiry honoured up to the maximum TTL; default TTL when none was asked for. */
export function certificateLifetime(j: JoinAttempt, expires: Date | undefined): { notBefore: Date; notAfter: Date } {
  const now = j.deps.clock.now();
  const { defaultTtlMs, maxTtlMs } = j.deps.certificates;
  let ttl = defaultTtlMs;
  if (expires) {
    const requested = expires.getTime() - now.getTime();
    if (!(requested > 0)) throw badParameter('checking BotParams: Expires must be in the future');
    ttl = Math.min(requested, maxTtlMs);
  }
  // Backdated a minute for clock skew, as Teleport does.
  return { notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + ttl) };
}

export interface BotIdentityPlan {
  instanceId: string;
  generation: number;
}

/** Creates the record of a new bot instance (onboarding or recovery). */
export async function createBotInstance(j: JoinAttempt, publicKey: string, recoveryCount: number, previousInstanceId?: string): Promise<BotIdentityPlan> {
  const id = randomUUID();
  const auth: BotInstanceAuthentication = {
    auth_time: formatTimestamp(j.deps.clock.now()),
    join_method: 'bound_keypair',
    join_token: j.token.metadata.name,
    generation: 1,
    public_key: publicKey,
    recovery_count: recoveryCount,
  };
  const instance: BotInstance = {
    kind: 'bot_instance',
    version: 'v1',
    metadata: { name: id },
    spec: { bot_name: j.token.spec.bot_name ?? '', instance_id: id, ...(previousInstanceId ? { previous_instance_id: previousInstanceId } : {}) },
    status: { initial_authentication: auth, latest_authentications: [auth] },
  };
  await j.deps.store.createBotInstance(instance);
  return { instanceId: id, generation: 1 };
}

export async function issueBotCertificates(j: JoinAttempt, keys: SubjectKeys, expires: Date | undefined, identity: BotIdentityPlan): Promise<Certificates> {
  const { authorities } = j.deps;
  const botName = j.token.spec.bot_name ?? '';
  const lifetime = certificateLifetime(j, expires);
  const tlsCert = await issueBotCertificate({
    ca: authorities.userCa,
    subjectPublicKey: keys.tls,
    clusterName: authorities.clusterName,
    botName,
    botInstanceId: identity.instanceId,
    generation: identity.generation,
    joinToken: j.token.metadata.name,
    ...lifetime,
  });
  const sshCert = issueSshUserCertificate({
    caPrivateKey: authorities.sshUserCa.privateKey,
    subjectPublicKey: keys.ssh,
    keyId: `bot-${botName}`,
    principals: [`bot-${botName}`],
    validAfter: lifetime.notBefore,
    validBefore: lifetime.notAfter,
  });
  // As Teleport: the issuing (user) CA, plus the host CA the bot needs to
  // trust the cluster's servers; the same pair for SSH.
  return {
    tls_cert: tlsCert,
    tls_ca_certs: [authorities.userCa.certificateDer, authorities.hostCa.certificateDer],
    ssh_cert: sshCert,
    ssh_ca_keys: [encodeSshWirePublicKey(authorities.sshUserCa.publicKey), encodeSshWirePublicKey(authorities.sshHostCa.publicKey)],
  };
}
