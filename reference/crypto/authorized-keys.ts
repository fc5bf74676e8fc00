// SSH public keys in the two forms the join protocol carries:
// - SSH wire format (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4), e.g.
//   `BotParams.public_keys.public_ssh_key` and the blob inside a certificate;
// - authorized_keys text `<type> <base64 wire blob>`, used for the bound key
//   in the token, in challenges, rotation responses and results.
//
// The parser is stricter than Go's ssh.ParseAuthorizedKey (which Teleport
// uses): authorized_keys options, several keys in one text, non-canonical
// base64 and trailing bytes inside the blob are all refused, so that one key
// has one accepted spelling and nothing odd slips through.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import { keyAlgorithmOf, publicKeyOf } from './keys.js';
import type { KeyAlgorithm } from './keys.js';
import { MAX_AUTHORIZED_KEY_BYTES } from './limits.js';
import { SshReader, SshWriter } from './ssh-wire.js';

export type SshKeyType = 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa';

const SSH_KEY_TYPES: Record<KeyAlgorithm, SshKeyType> = {
  'ed25519': 'ssh-ed25519',
  'ecdsa-p256': 'ecdsa-sha2-nistp256',
  'rsa': 'ssh-rsa',
};

/** Key types OpenSSH knows but this reference refuses; named so errors can say "unsupported" rather than "garbage". */
const KNOWN_UNSUPPORTED_TYPES = new Set([
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-dss',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-ed448',
]);

const ED25519_PUBLIC_KEY_BYTES = 32;
const P256_UNCOMPRESSED_POINT_BYTES = 65;
const P256_COORDINATE_BYTES = 32;

export function sshKeyTypeOf(publicKey: KeyObject): SshKeyType {
  return SSH_KEY_TYPES[keyAlgorithmOf(publicKey)];
}

function jwkField(jwk: Record<string, unknown>, name: string): Buffer {
  const value = jwk[name];
  if (typeof value !== 'string') throw badParameter(`exporting public key: JWK has no "${name}"`);
  return Buffer.from(value, 'base64url');
}

/** SSH wire encoding of a public key (the base64-decoded authorized_keys blob). */
export function encodeSshWirePublicKey(key: KeyObject): Buffer {
  const publicKey = publicKeyOf(key);
  const alg = keyAlgorithmOf(publicKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const w = new SshWriter().string(SSH_KEY_TYPES[alg]);
  switch (alg) {
    case 'ed25519':
      return w.string(jwkField(jwk, 'x')).toBuffer();
    case 'ecdsa-p256': {
      const point = Buffer.concat([Buffer.from([0x04]), jwkField(jwk, 'x'), jwkField(jwk, 'y')]);
      return w.string('nistp256').string(point).toBuffer();
    }
    case 'rsa':
      // RFC 4253 orders the RSA fields e, then n.
      return w.mpint(jwkField(jwk, 'e')).mpint(jwkField(jwk, 'n')).toBuffer();
  }
}

function importJwk(jwk: Record<string, string>, what: string): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (err) {
    throw badParameter(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Parses an SSH wire-format public key; the whole buffer must be one key. */
export function parseSshWirePublicKey(blob: Buffer): KeyObject {
  if (blob.length > MAX_AUTHORIZED_KEY_BYTES) {
    throw badParameter(`SSH public key is ${blob.length} bytes, more than the ${MAX_AUTHORIZED_KEY_BYTES}-byte limit`);
  }
  const r = new SshReader(blob, 'SSH public key');
  const type = r.text('key type');
  let key: KeyObject;
  switch (type) {
    case 'ssh-ed25519': {
      const raw = r.string('Ed25519 key');
      if (raw.length !== ED25519_PUBLIC_KEY_BYTES) {
        throw badParameter(`SSH public key: Ed25519 key must be ${ED25519_PUBLIC_KEY_BYTES} bytes, got ${raw.length}`);
      }
      r.expectEnd();
      key = importJwk({ kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, 'SSH public key: invalid Ed25519 key');
      break;
    }
    case 'ecdsa-sha2-nistp256': {
      const curve = r.text('curve name');
      if (curve !== 'nistp256') {
        throw badParameter(`SSH public key: curve "${curve}" does not match key type ecdsa-sha2-nistp256 (expected nistp256)`);
      }
      const point = r.string('EC point');
      if (point.length !== P256_UNCOMPRESSED_POINT_BYTES || point[0] !== 0x04) {
        throw badParameter('SSH public key: P-256 point must be uncompressed (0x04 || X || Y, 65 bytes)');
      }
      r.expectEnd();
      key = importJwk({
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 1 + P256_COORDINATE_BYTES).toString('base64url'),
        y: point.subarray(1 + P256_COORDINATE_BYTES).toString('base64url'),
      }, 'SSH public key: P-256 point is not on the curve');
      break;
    }
    case 'ssh-rsa': {
      const e = r.mpint('RSA exponent');
      const n = r.mpint('RSA modulus');
      r.expectEnd();
      if (e.length === 0 || n.length === 0) throw badParameter('SSH public key: RSA exponent and modulus must be positive');
      key = importJwk({ kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') }, 'SSH public key: invalid RSA key');
      break;
    }
    default:
      throw badParameter(`SSH public key: unsupported key type "${type}" (allowed: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa)`);
  }
  // Applies the size/curve allow-list (e.g. RSA below 2048 bits).
  keyAlgorithmOf(key);
  return key;
}

/**
 * authorized_keys text as Teleport's client sends it: `ssh.MarshalAuthorizedKey`
 * trimmed, i.e. `<type> <base64>` with no comment and no newline.
 */
export function encodeAuthorizedKey(publicKey: KeyObject): string {
  const blob = encodeSshWirePublicKey(publicKey);
  return `${sshKeyTypeOf(publicKey)} ${blob.toString('base64')}`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function looksLikeOptions(token: string): boolean {
  // authorized_keys options are comma-separated keywords, some with ="value".
  return /[=,"]/.test(token) || /^(no-|permit|restrict|cert-authority|pty|user-rc|X11|agent|port)/i.test(token);
}

/**
 * Parses one authorized_keys line: `<type> <base64> [comment]`, with optional
 * surrounding whitespace (so a trailing newline is fine). Refused: options
 * prefixes, more than one line, unknown or unsupported key types, a type name
 * that disagrees with the blob, non-canonical base64, trailing blob bytes.
 */
export function parseAuthorizedKey(text: string | Buffer): KeyObject {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size > MAX_AUTHORIZED_KEY_BYTES) {
    throw badParameter(`authorized_keys text is ${size} bytes, more than the ${MAX_AUTHORIZED_KEY_BYTES}-byte limit`);
  }
  const line = (typeof text === 'string' ? text : text.toString('utf8')).trim();
  if (line === '') throw badParameter('authorized_keys text is empty');
  if (/[\r\n]/.test(line)) throw badParameter('authorized_keys text must hold exactly one key on one line');
  const [type = '', encoded, ...comment] = line.split(/[ \t]+/);
  void comment; // Comments are free text and carry no meaning.
  const supported = (Object.values(SSH_KEY_TYPES) as string[]).includes(type);
  if (!supported) {
    if (KNOWN_UNSUPPORTED_TYPES.has(type) || type.endsWith('-cert-v01@openssh.com')) {
      throw badParameter(`authorized_keys: unsupported key type "${type}" (allowed: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa)`);
    }
    if (looksLikeOptions(type)) {
      throw badParameter(`authorized_keys: options prefixes are not supported (found "${type.slice(0, 64)}")`);
    }
    throw badParameter(`authorized_keys: unknown key type "${type.slice(0, 64)}"`);
  }
  if (encoded === undefined || encoded === '') throw badParameter(`authorized_keys: missing base64 key data after "${type}"`);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) throw badParameter('authorized_keys: key data is not valid base64');
  const blob = Buffer.from(encoded, 'base64');
  if (blob.toString('base64') !== encoded) throw badParameter('authorized_keys: key data is not canonical base64');
  const key = parseSshWirePublicKey(blob);
  const inner = sshKeyTypeOf(key);
  if (inner !== type) {
    throw badParameter(`authorized_keys: key type "${type}" does not match the key blob's type "${inner}"`);
  }
  return key;
}
