// The one place that loads @peculiar/x509. Version 2.x needs reflect-metadata
// loaded first (its ASN.1 schema uses decorators), and it signs through a
// WebCrypto provider: @peculiar/webcrypto is used so behaviour does not
// depend on which algorithms this Node version's own crypto.subtle exposes.
// Other modules import `x509` from here, never from the package, so the
// load order is guaranteed. (`import type` from the package is fine: erased.)
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { Crypto } from '@peculiar/webcrypto';
import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { keyAlgorithmOf, spkiDer } from './keys.js';
import type { KeyAlgorithm } from './keys.js';

export const webcrypto = new Crypto();
x509.cryptoProvider.set(webcrypto);

export { x509 };

export type WebCryptoKey = Awaited<ReturnType<typeof webcrypto.subtle.importKey>>;

/** WebCrypto import parameters for a key type. */
function importAlgorithm(alg: KeyAlgorithm): { name: string; namedCurve?: string; hash?: string } {
  switch (alg) {
    case 'ed25519':
      return { name: 'Ed25519' };
    case 'ecdsa-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
}

/**
 * Certificate signature algorithm for a CA key: Ed25519, ECDSA with SHA-256,
 * or RSA PKCS#1 v1.5 with SHA-256 (what Go's x509 picks for these keys).
 */
export function certificateSigningAlgorithm(alg: KeyAlgorithm): { name: string; hash?: string } {
  switch (alg) {
    case 'ed25519':
      return { name: 'Ed25519' };
    case 'ecdsa-p256':
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
}

export async function importSigningKey(privateKey: KeyObject): Promise<WebCryptoKey> {
  const alg = keyAlgorithmOf(privateKey);
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, importAlgorithm(alg), false, ['sign']);
}

export async function importVerifyingKey(publicKey: KeyObject): Promise<WebCryptoKey> {
  const alg = keyAlgorithmOf(publicKey);
  return webcrypto.subtle.importKey('spki', spkiDer(publicKey), importAlgorithm(alg), true, ['verify']);
}

/** A random positive 128-bit serial number in hex (RFC 5280 allows up to 20 octets). */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, and never a leading zero octet
  return bytes.toString('hex');
}

/** X.509 times have whole seconds; truncating keeps "valid from now" true at `now`. */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
