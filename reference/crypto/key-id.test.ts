import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { keyId } from './key-id.js';
import { generateKeyPair } from './keys.js';
import { runBinary } from './test-support.js';

/** SHA-256 of DER, computed by openssl, as base64url without padding. */
function opensslDigest(der: Buffer): string {
  return runBinary('openssl', ['dgst', '-sha256', '-binary'], der).toString('base64url');
}

function opensslDer(args: string[], pem: string | Buffer): Buffer {
  return runBinary('openssl', args, pem);
}

test('keyId of a fixed Ed25519 key (RFC 8032 test 1) matches openssl over its SPKI DER', () => {
  const raw = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  // SPKI for Ed25519 is a fixed 12-byte prefix followed by the raw key (RFC 8410).
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  const pem = key.export({ type: 'spki', format: 'pem' });
  assert.deepEqual(opensslDer(['pkey', '-pubin', '-outform', 'DER'], pem), spki);
  assert.equal(keyId(key), opensslDigest(spki));
  assert.equal(keyId(key), 'BuP9j9opu2CrWVV95h7bCuzbIxE0vjDnW0Vfjht5L6k');
  assert.doesNotMatch(keyId(key), /[=+/]/);
});

test('keyId hashes SPKI DER for ECDSA and PKCS#1 DER for RSA, as openssl computes them', () => {
  const ec = generateKeyPair('ecdsa-p256').publicKey;
  const ecSpki = opensslDer(['pkey', '-pubin', '-outform', 'DER'], ec.export({ type: 'spki', format: 'pem' }));
  assert.equal(keyId(ec), opensslDigest(ecSpki));

  const rsa = generateKeyPair('rsa');
  const pkcs1 = opensslDer(['rsa', '-pubin', '-RSAPublicKey_out', '-outform', 'DER'], rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  assert.equal(keyId(rsa.publicKey), opensslDigest(pkcs1));
  // The private key gives the same ID as its public half.
  assert.equal(keyId(rsa.privateKey), keyId(rsa.publicKey));
  const rsaSpki = rsa.publicKey.export({ type: 'spki', format: 'der' });
  assert.notEqual(keyId(rsa.publicKey), opensslDigest(rsaSpki));
});
