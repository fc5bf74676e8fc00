import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SIGNATURE_ALGORITHM_SUITES, boundKeypairCaAlgorithm, boundKeypairCaKeyAlgorithm, boundKeypairClientKeyAlgorithm,
  hostIdentityKeyAlgorithm, isSignatureAlgorithmSuite, resolveSuite, sshCaKeyAlgorithm, tlsCaKeyAlgorithm,
} from './suites.js';
import { assertTraceError } from './test-support.js';

test('suite table matches Teleport lib/cryptosuites/suites.go', () => {
  const rows = SIGNATURE_ALGORITHM_SUITES.map((s) => [
    s, boundKeypairClientKeyAlgorithm(s), boundKeypairCaKeyAlgorithm(s), boundKeypairCaAlgorithm(s),
    tlsCaKeyAlgorithm(s), hostIdentityKeyAlgorithm(s), sshCaKeyAlgorithm(s),
  ]);
  assert.deepEqual(rows, [
    ['legacy', 'ed25519', 'ecdsa-p256', 'ES256', 'rsa', 'rsa', 'rsa'],
    ['balanced-v1', 'ed25519', 'ed25519', 'EdDSA', 'ecdsa-p256', 'ecdsa-p256', 'ed25519'],
    ['fips-v1', 'ecdsa-p256', 'ecdsa-p256', 'ES256', 'ecdsa-p256', 'ecdsa-p256', 'ecdsa-p256'],
    ['hsm-v1', 'ed25519', 'ecdsa-p256', 'ES256', 'ecdsa-p256', 'ecdsa-p256', 'ecdsa-p256'],
  ]);
});

test('unspecified means legacy; unknown names are refused', () => {
  assert.equal(resolveSuite(''), 'legacy');
  assert.equal(resolveSuite(undefined), 'legacy');
  assert.equal(boundKeypairClientKeyAlgorithm(''), 'ed25519');
  assert.equal(boundKeypairCaAlgorithm(undefined), 'ES256');
  assert.ok(isSignatureAlgorithmSuite('fips-v1'));
  assert.ok(!isSignatureAlgorithmSuite('FIPS-V1'));
  assert.ok(!isSignatureAlgorithmSuite(3));
  assertTraceError(() => tlsCaKeyAlgorithm('balanced-v2'), 'BadParameter', 'unsupported signature algorithm suite "balanced-v2"');
});
