// Key generation, classification and PEM storage for the three key types the
// bound keypair join method meets: Ed25519, ECDSA P-256 and RSA.
//
// The allow-list is explicit and deliberately narrow. Teleport's server would
// parse any key Go's ssh package understands (P-384, P-521, RSA of any size);
// this reference refuses everything but Ed25519, P-256 and RSA 2048..8192 so
// that a weak or exotic key is a loud error, never a silent acceptance. RSA
// keys shorter than 2048 bits are refused on purpose: they are breakable and
// Teleport itself never generates them.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter, wrap } from '../protocol/errors.js';
import { MAX_PRIVATE_KEY_PEM_BYTES } from './limits.js';

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'rsa';

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ed25519', 'ecdsa-p256', 'rsa'];
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 8192;
export const DEFAULT_RSA_BITS = 2048;

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return typeof value === 'string' && (KEY_ALGORITHMS as readonly string[]).includes(value);
}

export function generateKeyPair(alg: KeyAlgorithm, opts: { rsaBits?: number } = {}): KeyPair {
  switch (alg) {
    case 'ed25519':
      return generateKeyPairSync('ed25519');
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'rsa': {
      const bits = opts.rsaBits ?? DEFAULT_RSA_BITS;
      if (!Number.isInteger(bits) || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw badParameter(`RSA key size must be an integer between ${MIN_RSA_BITS} and ${MAX_RSA_BITS} bits, got ${bits}`);
      }
      return generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
    }
    default:
      throw badParameter(`unsupported key algorithm "${String(alg)}"`);
  }
}

/**
 * Classifies a key (private or public) and enforces the allow-list. Every
 * other module calls this before trusting a key, so the allow-list lives in
 * exactly one place.
 */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  if (key.type === 'secret') throw badParameter('expected an asymmetric key, got a secret (symmetric) key');
  const type = key.asymmetricKeyType;
  switch (type) {
    case 'ed25519':
      return 'ed25519';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve !== 'prime256v1') {
        throw badParameter(`unsupported elliptic curve ${curve ?? 'unknown'}: only ECDSA P-256 (prime256v1) is allowed`);
      }
      return 'ecdsa-p256';
    }
    case 'rsa': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw badParameter(
          `unsupported RSA key size ${bits} bits: only ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits are allowed (shorter keys are refused deliberately)`,
        );
      }
      const e = key.asymmetricKeyDetails?.publicExponent ?? 0n;
      // An even or tiny exponent is never produced by a sane generator; refusing it
      // also refuses keys crafted to make signatures trivially forgeable.
      if (e < 3n || e % 2n === 0n || e > 0xffffffffn) {
        throw badParameter(`unsupported RSA public exponent ${e}: it must be odd, at least 3 and fit in 32 bits`);
      }
      return 'rsa';
    }
    default:
      throw badParameter(`unsupported key type ${type ?? 'unknown'}: only Ed25519, ECDSA P-256 and RSA keys are allowed`);
  }
}

/** The public half of a key; a public key is returned unchanged. */
export function publicKeyOf(key: KeyObject): KeyObject {
  if (key.type === 'public') return key;
  if (key.type === 'private') return createPublicKey(key);
  throw badParameter('expected an asymmetric key, got a secret (symmetric) key');
}

/** SubjectPublicKeyInfo DER of a key's public half. */
export function spkiDer(key: KeyObject): Buffer {
  return publicKeyOf(key).export({ type: 'spki', format: 'der' });
}

/**
 * Cryptographic key equality (the rule Teleport uses for "key may not be
 * reused after rotation" and tbot uses to find its signer): two keys are
 * equal when their public halves have identical SPKI DER. Private or public
 * KeyObjects may be mixed.
 */
export function publicKeysEqual(a: KeyObject, b: KeyObject): boolean {
  return spkiDer(a).equals(spkiDer(b));
}

/**
 * PEM as tbot stores it in `id_bkp`: RSA keys as PKCS#1 `RSA PRIVATE KEY`,
 * every other key as PKCS#8 `PRIVATE KEY`.
 */
export function encodePrivateKeyPem(privateKey: KeyObject): string {
  if (privateKey.type !== 'private') throw badParameter('encoding private key: expected a private key');
  const alg = keyAlgorithmOf(privateKey);
  const pem = alg === 'rsa'
    ? privateKey.export({ type: 'pkcs1', format: 'pem' })
    : privateKey.export({ type: 'pkcs8', format: 'pem' });
  return pem.toString();
}

const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END ([A-Z0-9 ]+)-----$/;
const ACCEPTED_PEM_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

/**
 * Parses a private key as tbot's loader does: PKCS#1 (`RSA PRIVATE KEY`),
 * PKCS#8 (`PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`). Exactly one unencrypted
 * PEM block, surrounded by nothing but whitespace, is accepted.
 */
export function parsePrivateKeyPem(pem: string | Buffer): KeyObject {
  const size = typeof pem === 'string' ? Buffer.byteLength(pem) : pem.length;
  if (size > MAX_PRIVATE_KEY_PEM_BYTES) {
    throw badParameter(`parsing private key: PEM is ${size} bytes, more than the ${MAX_PRIVATE_KEY_PEM_BYTES}-byte limit`);
  }
  const text = (typeof pem === 'string' ? pem : pem.toString('utf8')).trim();
  if (text === '') throw badParameter('parsing private key: input is empty');
  const match = PEM_BLOCK.exec(text);
  if (!match) throw badParameter('parsing private key: expected exactly one PEM block');
  const [, label = '', body = '', endLabel = ''] = match;
  if (label !== endLabel) throw badParameter(`parsing private key: PEM BEGIN label "${label}" does not match END label "${endLabel}"`);
  if (body.includes('-----')) throw badParameter('parsing private key: expected exactly one PEM block');
  if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(body)) {
    throw badParameter('parsing private key: encrypted private keys are not supported');
  }
  if (!ACCEPTED_PEM_LABELS.has(label)) {
    throw badParameter(`parsing private key: unsupported PEM type "${label}" (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch (err) {
    throw badParameter(`parsing private key: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (label === 'RSA PRIVATE KEY' && key.asymmetricKeyType !== 'rsa') {
    throw badParameter('parsing private key: RSA PRIVATE KEY block does not hold an RSA key');
  }
  if (label === 'EC PRIVATE KEY' && key.asymmetricKeyType !== 'ec') {
    throw badParameter('parsing private key: EC PRIVATE KEY block does not hold an EC key');
  }
  try {
    keyAlgorithmOf(key);
  } catch (err) {
    throw wrap(err, 'parsing private key');
  }
  return key;
}
