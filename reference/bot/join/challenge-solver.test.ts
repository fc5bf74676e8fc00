import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify } from 'jose';
import { generateKeyPair } from '../../crypto/index.js';
import type { KeyAlgorithm } from '../../crypto/index.js';
import { solveChallenge } from './challenge-solver.js';

// Odd spacing and key order on purpose: the bytes must be signed exactly as received.
const CHALLENGE = '{"aud":["bot-test.example"],  "iss":"bot-test.example","nonce":"ab12","exp":1,"iat":0,"nbf":0,"sub":"kid"}';

const cases: [KeyAlgorithm, string][] = [['ed25519', 'EdDSA'], ['ecdsa-p256', 'ES256'], ['rsa', 'RS256']];

for (const [keyAlg, jwsAlg] of cases) {
  test(`a ${keyAlg} key signs the exact challenge bytes with {"alg":"${jwsAlg}","typ":"JWT"} and no kid`, async () => {
    const key = generateKeyPair(keyAlg);
    const jws = solveChallenge(CHALLENGE, key);
    const [header, payload] = jws.split('.');
    assert.equal(Buffer.from(header ?? '', 'base64url').toString(), `{"alg":"${jwsAlg}","typ":"JWT"}`);
    assert.equal(Buffer.from(payload ?? '', 'base64url').toString(), CHALLENGE);
    const verified = await compactVerify(jws, key.publicKey);
    assert.equal(Buffer.from(verified.payload).toString(), CHALLENGE);
    await assert.rejects(compactVerify(jws, generateKeyPair(keyAlg).publicKey), 'another key does not verify it');
  });
}
