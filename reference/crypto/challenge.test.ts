import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, compactVerify } from 'jose';
import type { KeyObject } from 'node:crypto';
import { issueChallenge, signChallenge, verifyChallengeResponse } from './challenge.js';
import type { IssuedChallenge } from './challenge.js';
import { keyId } from './key-id.js';
import { algorithmForKey } from './jws-algorithms.js';
import { signCompactJws } from './jws.js';
import { generateKeyPair, spkiDer } from './keys.js';
import type { KeyAlgorithm, KeyPair } from './keys.js';
import { assertTraceError } from './test-support.js';

const CLUSTER = 'example.teleport.sh';
const NOW = new Date('2025-06-01T12:00:00Z');
const T = NOW.getTime() / 1000;
const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);

const pairs: Record<KeyAlgorithm, KeyPair> = {
  'ed25519': generateKeyPair('ed25519'),
  'ecdsa-p256': generateKeyPair('ecdsa-p256'),
  'rsa': generateKeyPair('rsa'),
};
const ed = pairs.ed25519;

function issue(pair: KeyPair = ed): IssuedChallenge {
  return issueChallenge({ clusterName: CLUSTER, publicKey: pair.publicKey, now: NOW });
}

function verify(issued: IssuedChallenge, solution: string | Buffer, now = NOW): void {
  verifyChallengeResponse({ issued, solution, clusterName: CLUSTER, now });
}

/** Signs modified claims with the right key, as a tampering client would. */
function resign(issued: IssuedChallenge, change: Record<string, unknown>, key: KeyObject = ed.privateKey): string {
  return signChallenge(JSON.stringify({ ...issued.claims, ...change }), key);
}

test('the challenge document is the exact JSON Teleport sends', () => {
  const nonce = 'ab'.repeat(32);
  const issued = issueChallenge({ clusterName: CLUSTER, publicKey: ed.privateKey, now: new Date(NOW.getTime() + 999), nonce });
  const sub = keyId(ed.publicKey);
  assert.equal(
    issued.document,
    `{"iss":"${CLUSTER}","sub":"${sub}","aud":"${CLUSTER}","exp":${T + 60},"nbf":${T - 10},"iat":${T},"nonce":"${nonce}"}`,
  );
  assert.equal(issued.publicKey.type, 'public');
  const a = issue();
  const b = issue();
  assert.match(a.claims.nonce, /^[0-9a-f]{64}$/);
  assert.notEqual(a.claims.nonce, b.claims.nonce);
  assert.throws(() => issueChallenge({ clusterName: CLUSTER, publicKey: ed.publicKey, now: NOW, nonce: 'short' }), /nonce/);
  assert.throws(() => issueChallenge({ clusterName: '', publicKey: ed.publicKey, now: NOW }), /cluster name/);
});

test('success for every key type, signed here or by jose, as string or bytes', async () => {
  for (const pair of Object.values(pairs)) {
    const issued = issue(pair);
    const ours = signChallenge(issued.document, pair.privateKey);
    verify(issued, ours);
    verify(issued, Buffer.from(ours));
    // Cross-check with an independent JWS implementation in both directions.
    const alg = algorithmForKey(pair.publicKey);
    const theirs = await new CompactSign(Buffer.from(issued.document)).setProtectedHeader({ alg, typ: 'JWT' }).sign(pair.privateKey);
    verify(issued, theirs);
    const checked = await compactVerify(ours, pair.publicKey, { algorithms: [alg] });
    assert.equal(Buffer.from(checked.payload).toString(), issued.document);
    assert.deepEqual(checked.protectedHeader, { alg, typ: 'JWT' });
  }
});

test('wrong key: a signature by another key of the same type fails', () => {
  for (const alg of ['ed25519', 'ecdsa-p256'] as const) {
    const issued = issue(pairs[alg]);
    const other = generateKeyPair(alg).privateKey;
    assertTraceError(() => verify(issued, signChallenge(issued.document, other)), 'BadParameter', 'verifying signed response');
  }
});

test('waited too long: valid until exp + 1 minute of leeway, i.e. 120 s after issue', () => {
  const issued = issue();
  const solution = signChallenge(issued.document, ed.privateKey);
  verify(issued, solution, at(119));
  verify(issued, solution, at(120));
  assertTraceError(() => verify(issued, solution, at(121)), 'BadParameter', 'go-jose/go-jose/jwt: validation failed, token is expired (exp)');
});

test('too early: nbf and iat are checked with 1 minute of leeway', () => {
  const issued = issue();
  const solution = signChallenge(issued.document, ed.privateKey);
  verify(issued, solution, at(-60));
  assertTraceError(() => verify(issued, solution, at(-61)), 'BadParameter', 'token issued in the future (iat)');
  assertTraceError(() => verify(issued, solution, at(-71)), 'BadParameter', 'go-jose/go-jose/jwt: validation failed, token not valid yet (nbf)');
});

test('tampered claims, re-signed with the right key, each fail with their own message', () => {
  const issued = issue();
  const cases: [Record<string, unknown>, string][] = [
    [{ iat: T - 1 }, 'invalid challenge document'],
    [{ iat: T + 3600 }, 'token issued in the future (iat)'],
    [{ iat: undefined }, 'invalid challenge document'],
    [{ exp: T + 3600 }, 'invalid challenge document'],
    [{ exp: T + 59 }, 'invalid challenge document'],
    [{ nbf: T - 20 }, 'invalid challenge document'],
    [{ nbf: T + 3600 }, 'token not valid yet (nbf)'],
    [{ nonce: 'cd'.repeat(32) }, 'invalid nonce'],
    [{ nonce: issued.claims.nonce.slice(2) }, 'invalid nonce'],
    [{ nonce: undefined }, 'invalid nonce'],
    [{ nonce: 42 }, 'invalid nonce'],
    [{ sub: keyId(generateKeyPair('ed25519').publicKey) }, 'go-jose/go-jose/jwt: validation failed, invalid subject claim (sub)'],
    [{ iss: 'other-cluster' }, 'go-jose/go-jose/jwt: validation failed, invalid issuer claim (iss)'],
    [{ aud: 'other-cluster' }, 'go-jose/go-jose/jwt: validation failed, invalid audience claim (aud)'],
    [{ aud: ['other-cluster'] }, 'invalid audience claim (aud)'],
    [{ aud: 7 }, 'claim "aud" must be a string or an array of strings'],
    [{ exp: '1700000000' }, 'claim "exp" must be a NumericDate'],
  ];
  for (const [change, message] of cases) {
    assertTraceError(() => verify(issued, resign(issued, change)), 'BadParameter', message);
  }
});

test('claims, not bytes, are compared: whitespace, key order, array audience and extra claims still verify', () => {
  const issued = issue();
  const { iss, sub, aud, exp, nbf, iat, nonce } = issued.claims;
  verify(issued, signChallenge(JSON.stringify(issued.claims, null, 2), ed.privateKey));
  verify(issued, signChallenge(JSON.stringify({ nonce, iat, nbf, exp, aud, sub, iss }), ed.privateKey));
  verify(issued, resign(issued, { aud: ['x', CLUSTER] }));
  verify(issued, resign(issued, { jti: 'extra', extra: { a: 1 } }));
  // A fractional NumericDate truncates to the issued second, as in go-jose.
  verify(issued, resign(issued, { iat: T + 0.5 }));
});

test('algorithm allow-list: only the challenged key\'s algorithm, named when refused', async () => {
  const issued = issue();
  const payload = Buffer.from(issued.document);
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload.toString('base64url')}.`;
  assertTraceError(() => verify(issued, none), 'BadParameter', 'parsing signed response', '"none"');
  // HS256 keyed with the public key bytes: the classic algorithm-confusion forgery.
  const hs = await new CompactSign(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(spkiDer(ed.publicKey));
  assertTraceError(() => verify(issued, hs), 'BadParameter', 'parsing signed response', '"HS256"');
  // ES256 header (and a real ES256 signature) while the challenged key is Ed25519.
  const es = signChallenge(issued.document, pairs['ecdsa-p256'].privateKey);
  assertTraceError(() => verify(issued, es), 'BadParameter', 'parsing signed response', '"ES256"', 'EdDSA');
  // The right algorithm name in the header but a signature of the wrong kind.
  const forgedHeader = Buffer.from('{"alg":"EdDSA","typ":"JWT"}').toString('base64url');
  const esParts = es.split('.');
  assertTraceError(() => verify(issued, `${forgedHeader}.${esParts[1]}.${esParts[2]}`), 'BadParameter', 'verifying signed response');
  const rsaIssued = issue(pairs.rsa);
  const ps = await new CompactSign(Buffer.from(rsaIssued.document)).setProtectedHeader({ alg: 'PS256' }).sign(pairs.rsa.privateKey);
  assertTraceError(() => verify(rsaIssued, ps), 'BadParameter', '"PS256"', 'RS256');
  const noAlg = `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.${payload.toString('base64url')}.AAAA`;
  assertTraceError(() => verify(issued, noAlg), 'BadParameter', 'parsing signed response', 'missing');
});

test('headers that change processing or carry keys are refused even with a valid signature', () => {
  const issued = issue();
  const jwk = ed.publicKey.export({ format: 'jwk' });
  for (const extra of [{ crit: ['b64'], b64: false }, { b64: true }, { jku: 'https://evil.example/jwks' }, { jwk }, { x5u: 'https://evil.example/x' }, { x5c: ['AAAA'] }]) {
    const name = Object.keys(extra)[0]!;
    const solution = signCompactJws(issued.document, ed.privateKey, { alg: 'EdDSA', typ: 'JWT', ...extra });
    assertTraceError(() => verify(issued, solution), 'BadParameter', 'parsing signed response', `"${name}"`);
  }
  // A kid header is harmless and ignored.
  verify(issued, signCompactJws(issued.document, ed.privateKey, { alg: 'EdDSA', kid: 'anything', typ: 'JWT' }));
});

test('garbage is refused as "parsing signed response"', () => {
  const issued = issue();
  const good = signChallenge(issued.document, ed.privateKey);
  const [h = '', p = '', s = ''] = good.split('.');
  for (const input of ['', 'asdf', 'a.b', `${good}.x`, `${h}.${p}.${s}=`, `${h}.${p}!.${s}`, `.${p}.${s}`,
    `${Buffer.from('not json').toString('base64url')}.${p}.${s}`, `${Buffer.from('[1]').toString('base64url')}.${p}.${s}`,
    'x'.repeat(65 * 1024), Buffer.from([0xff, 0xfe])]) {
    assertTraceError(() => verify(issued, input), 'BadParameter', 'parsing signed response');
  }
  // A correctly signed payload that is not a claims object.
  for (const payload of ['not json', '[1,2]', '"string"', 'null']) {
    assertTraceError(() => verify(issued, signChallenge(payload, ed.privateKey)), 'BadParameter', 'parsing signed response');
  }
});
