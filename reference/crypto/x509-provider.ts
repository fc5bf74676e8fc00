// The one place that loads @peculiar/x509. Version 2.x needs reflect-metadata
// loaded first (its ASN.1 schema uses decorators), and it works through a
// WebCrypto provider: @peculiar/webcrypto is the library's provider, so
// parsing and key export do not depend on this Node version's crypto.subtle.
// Certificates are signed through Node's own WebCrypto instead
// (`signingCrypto`): it has Ed25519, ECDSA P-256 and RSA PKCS#1 v1.5 on every
// Node this project supports (>= 20.19), and it signs with the key it imported
// once, where @peculiar/webcrypto re-reads the key from PEM and re-encodes the
// signature in JavaScript on every call — most of a certificate's cost
// (docs/bench.md). Other modules import `x509` from here, never from the
// package, so the load order is guaranteed. (`import type` from the package
// is fine: erased.)
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { Crypto } from '@peculiar/webcrypto';
import { randomBytes, webcrypto as nodeWebcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { keyAlgorithmOf, spkiDer } from './keys.js';
import type { KeyAlgorithm } from './keys.js';

export const webcrypto = new Crypto();
x509.cryptoProvider.set(webcrypto);

export { x509 };

/** The provider certificates are signed with; pass it to X509CertificateGenerator with a key from importSigningKey. */
export const signingCrypto = nodeWebcrypto as unknown as NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;

export type WebCryptoKey = Awaited<ReturnType<typeof nodeWebcrypto.subtle.importKey>>;

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

/** A private key for signing certificates through `signingCrypto`. */
export async function importSigningKey(privateKey: KeyObject): Promise<WebCryptoKey> {
  const alg = keyAlgorithmOf(privateKey);
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return nodeWebcrypto.subtle.importKey('pkcs8', der, importAlgorithm(alg), false, ['sign']);
}

/** Its public half, for a self-signed CA certificate made through `signingCrypto`. */
export async function importVerifyingKey(publicKey: KeyObject): Promise<WebCryptoKey> {
  const alg = keyAlgorithmOf(publicKey);
  return nodeWebcrypto.subtle.importKey('spki', spkiDer(publicKey), importAlgorithm(alg), true, ['verify']);
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
