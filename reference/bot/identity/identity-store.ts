// The bot identity (certificates from the last join and their key) in the
// bot's storage, next to the bound keypair items. This layout is ours, not
// tbot's (tbot's identity files are out of scope):
//   identity.key         PKCS#8 PEM of the certificates' key
//   identity.tlscert     the TLS certificate, PEM
//   identity.tlscacerts  the TLS CA certificates, concatenated PEM
//   identity.sshcert     the OpenSSH certificate, authorized_keys form + "\n"
//   identity.sshcacerts  the SSH CA keys, one authorized_keys line each
//   identity.json        {token_name_sha256, not_after, tls_cert_sha256}
// Each file is replaced atomically; identity.json is written last and names
// the certificate it belongs to, so a set left half-written by a crash is
// recognised (hash or key mismatch) and ignored rather than presented.
// Validity is judged with the bot's clock against the TLS certificate.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { publicKeysEqual } from '../../crypto/index.js';
import type { BotClock } from '../clock.js';
import type { BotIdentity } from '../join/join-types.js';
import type { BotLog } from '../log.js';
import type { BotStorage } from '../state/bot-storage.js';

export const IDENTITY_ITEMS = {
  key: 'identity.key',
  tlsCert: 'identity.tlscert',
  tlsCaCerts: 'identity.tlscacerts',
  sshCert: 'identity.sshcert',
  sshCaKeys: 'identity.sshcacerts',
  record: 'identity.json',
} as const;

/** `other-token`: issued for a different token name than the one configured now (C-RS-5). */
export type IdentityState = 'valid' | 'expired' | 'not-yet-valid' | 'other-token';

export interface LoadedIdentity {
  identity: BotIdentity;
  state: IdentityState;
  notBefore: Date;
  notAfter: Date;
}

interface IdentityRecord {
  token_name_sha256: string;
  not_after: string;
  tls_cert_sha256: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function saveIdentity(storage: BotStorage, tokenName: string, identity: BotIdentity): Promise<void> {
  const cert = new X509Certificate(identity.tlsCertPem);
  const record: IdentityRecord = {
    token_name_sha256: sha256Hex(tokenName),
    not_after: new Date(cert.validTo).toISOString(),
    tls_cert_sha256: sha256Hex(identity.tlsCertPem),
  };
  await storage.write(IDENTITY_ITEMS.key, identity.keyPem);
  await storage.write(IDENTITY_ITEMS.tlsCert, identity.tlsCertPem);
  await storage.write(IDENTITY_ITEMS.tlsCaCerts, identity.tlsCaPems.map(withNewline).join(''));
  await storage.write(IDENTITY_ITEMS.sshCert, withNewline(identity.sshCert));
  await storage.write(IDENTITY_ITEMS.sshCaKeys, identity.sshCaKeys.map(withNewline).join(''));
  await storage.write(IDENTITY_ITEMS.record, `${JSON.stringify(record)}\n`);
}

/**
 * The stored identity and how it stands now, or undefined when there is none
 * or it is unusable (incomplete, inconsistent, unparsable: logged as a
 * warning). Read errors other than "missing" throw.
 */
export async function loadIdentity(storage: BotStorage, tokenName: string, clock: BotClock, log?: BotLog): Promise<LoadedIdentity | undefined> {
  const recordBytes = await storage.read(IDENTITY_ITEMS.record);
  if (recordBytes === undefined) return undefined;
  const ignore = (why: string): undefined => {
    log?.warn('The stored bot identity is unusable and will be ignored', { reason: why, storage: storage.location });
    return undefined;
  };
  const record = parseRecord(recordBytes);
  if (!record) return ignore(`${IDENTITY_ITEMS.record} is not a valid identity record`);
  const [key, tlsCert, tlsCaCerts, sshCert, sshCaKeys] = await Promise.all([
    storage.read(IDENTITY_ITEMS.key), storage.read(IDENTITY_ITEMS.tlsCert), storage.read(IDENTITY_ITEMS.tlsCaCerts),
    storage.read(IDENTITY_ITEMS.sshCert), storage.read(IDENTITY_ITEMS.sshCaKeys),
  ]);
  if (!key || !tlsCert || !tlsCaCerts || !sshCert || !sshCaKeys) return ignore('some identity files are missing');
  if (sha256Hex(tlsCert) !== record.tls_cert_sha256) return ignore(`${IDENTITY_ITEMS.tlsCert} is not the certificate ${IDENTITY_ITEMS.record} names (a partial write?)`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(tlsCert);
    if (!publicKeysEqual(cert.publicKey, createPrivateKey(key))) return ignore('the identity key does not match the TLS certificate');
  } catch (err) {
    return ignore(`the identity key or certificate does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  const identity: BotIdentity = {
    keyPem: key.toString('utf8'),
    tlsCertPem: tlsCert.toString('utf8'),
    tlsCaPems: splitPemBlocks(tlsCaCerts.toString('utf8')),
    sshCert: sshCert.toString('utf8').trim(),
    sshCaKeys: sshCaKeys.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== ''),
  };
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  return { identity, state: judge(record, tokenName, clock.now(), notBefore, notAfter), notBefore, notAfter };
}

function judge(record: IdentityRecord, tokenName: string, now: Date, notBefore: Date, notAfter: Date): IdentityState {
  if (record.token_name_sha256 !== sha256Hex(tokenName)) return 'other-token';
  if (now.getTime() < notBefore.getTime()) return 'not-yet-valid';
  if (now.getTime() > notAfter.getTime()) return 'expired';
  return 'valid';
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function parseRecord(bytes: Buffer): IdentityRecord | undefined {
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    const { token_name_sha256: token, not_after: notAfter, tls_cert_sha256: cert } = doc;
    if (typeof token !== 'string' || !HEX_SHA256.test(token)) return undefined;
    if (typeof cert !== 'string' || !HEX_SHA256.test(cert)) return undefined;
    return { token_name_sha256: token, not_after: typeof notAfter === 'string' ? notAfter : '', tls_cert_sha256: cert };
  } catch {
    return undefined;
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function splitPemBlocks(text: string): string[] {
  return (text.match(PEM_BLOCK) ?? []).map((block) => `${block}\n`);
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
