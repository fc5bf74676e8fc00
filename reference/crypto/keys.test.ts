import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  encodePrivateKeyPem, generateKeyPair, keyAlgorithmOf, parsePrivateKeyPem, publicKeyOf, publicKeysEqual,
} from './keys.js';
import type { KeyAlgorithm } from './keys.js';
import { assertTraceError, run } from './test-support.js';

const pairs = {
  'ed25519': generateKeyPair('ed25519'),
  'ecdsa-p256': generateKeyPair('ecdsa-p256'),
  'rsa': generateKeyPair('rsa'),
} satisfies Record<KeyAlgorithm, unknown>;

test('generateKeyPair and keyAlgorithmOf agree for every allowed algorithm', () => {
  for (const [alg, pair] of Object.entries(pairs)) {
    assert.equal(keyAlgorithmOf(pair.privateKey), alg);
    assert.equal(keyAlgorithmOf(pair.publicKey), alg);
  }
  assert.equal(pairs.rsa.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
});

test('generateKeyPair refuses RSA sizes outside 2048..8192', () => {
  assertTraceError(() => generateKeyPair('rsa', { rsaBits: 1024 }), 'BadParameter', 'between 2048 and 8192');
  assertTraceError(() => generateKeyPair('rsa', { rsaBits: 16384 }), 'BadParameter', '16384');
});

test('keyAlgorithmOf refuses keys outside the allow-list and names them', () => {
  assertTraceError(() => keyAlgorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey), 'BadParameter', 'secp384r1');
  assertTraceError(() => keyAlgorithmOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey), 'BadParameter', '1024 bits', 'deliberately');
  assertTraceError(() => keyAlgorithmOf(generateKeyPairSync('ed448').publicKey), 'BadParameter', 'ed448');
  assertTraceError(() => keyAlgorithmOf(generateKeyPairSync('x25519').publicKey), 'BadParameter', 'x25519');
});

test('publicKeysEqual compares key material, mixing private and public halves', () => {
  assert.ok(publicKeysEqual(pairs.ed25519.privateKey, pairs.ed25519.publicKey));
  assert.ok(publicKeysEqual(pairs.rsa.publicKey, publicKeyOf(pairs.rsa.privateKey)));
  assert.ok(!publicKeysEqual(pairs.ed25519.publicKey, generateKeyPair('ed25519').publicKey));
  assert.ok(!publicKeysEqual(pairs.ed25519.publicKey, pairs['ecdsa-p256'].publicKey));
});

test('encodePrivateKeyPem follows tbot: PKCS#1 for RSA, PKCS#8 otherwise, and round-trips', () => {
  assert.match(encodePrivateKeyPem(pairs.rsa.privateKey), /^-----BEGIN RSA PRIVATE KEY-----\n/);
  assert.match(encodePrivateKeyPem(pairs.ed25519.privateKey), /^-----BEGIN PRIVATE KEY-----\n/);
  assert.match(encodePrivateKeyPem(pairs['ecdsa-p256'].privateKey), /^-----BEGIN PRIVATE KEY-----\n/);
  for (const pair of Object.values(pairs)) {
    const parsed = parsePrivateKeyPem(encodePrivateKeyPem(pair.privateKey));
    assert.ok(publicKeysEqual(parsed, pair.publicKey));
    assert.equal(parsed.type, 'private');
  }
  assertTraceError(() => encodePrivateKeyPem(pairs.rsa.publicKey), 'BadParameter', 'expected a private key');
});

test('parsePrivateKeyPem accepts SEC1, PKCS#8 RSA and keys written by openssl', () => {
  const sec1 = pairs['ecdsa-p256'].privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  assert.match(sec1, /EC PRIVATE KEY/);
  assert.ok(publicKeysEqual(parsePrivateKeyPem(Buffer.from(sec1)), pairs['ecdsa-p256'].publicKey));
  const rsaPkcs8 = pairs.rsa.privateKey.export({ type: 'pkcs8', format: 'pem' });
  assert.ok(publicKeysEqual(parsePrivateKeyPem(rsaPkcs8), pairs.rsa.publicKey));
  assert.ok(parsePrivateKeyPem(`\n\n${rsaPkcs8}\n  \n`));
  const ed = run('openssl', ['genpkey', '-algorithm', 'ed25519']);
  assert.equal(keyAlgorithmOf(parsePrivateKeyPem(ed)), 'ed25519');
  const ec = run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout']);
  assert.match(ec, /BEGIN EC PRIVATE KEY/);
  assert.equal(keyAlgorithmOf(parsePrivateKeyPem(ec)), 'ecdsa-p256');
});

test('parsePrivateKeyPem refuses everything else with "parsing private key"', () => {
  const pem = encodePrivateKeyPem(pairs.ed25519.privateKey);
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'sec1', format: 'pem' });
  const encrypted = pairs.ed25519.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' });
  const cases: [string | Buffer, string][] = [
    ['', 'empty'],
    ['garbage', 'exactly one PEM block'],
    [pem + pem, 'exactly one PEM block'],
    [`junk\n${pem}`, 'exactly one PEM block'],
    [pem.replace('END PRIVATE KEY', 'END RSA PRIVATE KEY'), 'does not match'],
    [pem.replace(/\n[A-Za-z0-9+/]{4}/, '\n!!!!'), 'parsing private key'],
    [encrypted, 'encrypted'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n', 'OPENSSH PRIVATE KEY'],
    [p384, 'secp384r1'],
    [pem.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY'), 'parsing private key'],
    [Buffer.alloc(70 * 1024, 0x41), 'limit'],
  ];
  for (const [input, part] of cases) assertTraceError(() => parsePrivateKeyPem(input), 'BadParameter', 'parsing private key', part);
  // A sanity check that the P-384 key itself is well-formed for Node.
  assert.ok(createPrivateKey(p384));
});
