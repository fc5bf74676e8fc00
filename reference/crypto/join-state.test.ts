import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, compactVerify } from 'jose';
import { issueJoinState, verifyJoinState } from './join-state.js';
import type { JoinStateSigner, TrustedJoinStateKey } from './join-state.js';
import { keyId } from './key-id.js';
import { signCompactJws } from './jws.js';
import { generateKeyPair } from './keys.js';
import { assertTraceError } from './test-support.js';

const CLUSTER = 'example.teleport.sh';
const BOT = 'test';
const NOW = new Date('2025-06-01T12:00:00Z');
const T = NOW.getTime() / 1000;

function signer(alg: 'ES256' | 'EdDSA'): JoinStateSigner & { trusted: TrustedJoinStateKey } {
  const pair = generateKeyPair(alg === 'ES256' ? 'ecdsa-p256' : 'ed25519');
  const kid = keyId(pair.publicKey);
  return { privateKey: pair.privateKey, kid, alg, trusted: { kid, publicKey: pair.publicKey, alg } };
}

const active = signer('ES256');
const second = signer('EdDSA');
const untrusted = signer('ES256');

function issue(overrides: Partial<Parameters<typeof issueJoinState>[0]> = {}): string {
  return issueJoinState({
    signer: active,
    clusterName: CLUSTER,
    subject: BOT,
    botInstanceId: 'instance-1',
    recoverySequence: 2,
    recoveryLimit: 3,
    recoveryMode: 'standard',
    now: NOW,
    ...overrides,
  });
}

function verify(joinState: string | Buffer, overrides: Partial<Parameters<typeof verifyJoinState>[0]> = {}) {
  return verifyJoinState({
    joinState,
    trustedKeys: [active.trusted],
    clusterName: CLUSTER,
    subject: BOT,
    now: NOW,
    expected: { recoverySequence: 2, botInstanceId: 'instance-1' },
    ...overrides,
  });
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');

test('the document has go-jose\'s header and Teleport\'s claims in order, with no exp', async () => {
  const doc = issue();
  const [header = '', payload = ''] = doc.split('.');
  assert.equal(Buffer.from(header, 'base64url').toString(), `{"alg":"ES256","kid":"${active.kid}","typ":"JWT"}`);
  assert.equal(
    Buffer.from(payload, 'base64url').toString(),
    `{"iss":"${CLUSTER}","sub":"${BOT}","aud":"${CLUSTER}","nbf":${T - 10},"iat":${T},"bot_instance_id":"instance-1","recovery_sequence":2,"recovery_limit":3,"recovery_mode":"standard"}`,
  );
  const host = issue({ subject: 'host-uuid', botInstanceId: undefined, hostId: 'host-uuid' });
  assert.match(Buffer.from(host.split('.')[1]!, 'base64url').toString(), /"iat":\d+,"host_id":"host-uuid","recovery_sequence"/);
  // jose agrees the signature is valid.
  const checked = await compactVerify(doc, active.trusted.publicKey, { algorithms: ['ES256'] });
  assert.equal(checked.protectedHeader.kid, active.kid);
});

test('success: returns the bound IDs and claims; the document never expires', () => {
  const result = verify(issue());
  assert.equal(result.botInstanceId, 'instance-1');
  assert.equal(result.hostId, undefined);
  assert.equal(result.claims.recovery_sequence, 2);
  assert.equal(result.claims.recovery_mode, 'standard');
  verify(issue(), { now: new Date(NOW.getTime() + 5 * 365 * 86_400_000) });
  const host = verify(issue({ subject: 'host-uuid', botInstanceId: undefined, hostId: 'host-uuid' }), {
    subject: 'host-uuid', expected: { recoverySequence: 2, hostId: 'host-uuid' },
  });
  assert.equal(host.hostId, 'host-uuid');
  assert.equal(host.botInstanceId, undefined);
});

test('alternate signer: any trusted key may have signed, matched by kid (EdDSA too)', async () => {
  const doc = issue({ signer: second });
  verify(doc, { trustedKeys: [active.trusted, second.trusted] });
  // A document produced by jose with the same claims is accepted as well.
  const payload = Buffer.from(issue().split('.')[1]!, 'base64url');
  const theirs = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', kid: second.kid, typ: 'JWT' }).sign(second.privateKey);
  verify(theirs, { trustedKeys: [active.trusted, second.trusted] });
});

test('empty join state is AccessDenied "previous join state is required but was not provided"', () => {
  assertTraceError(() => verify(''), 'AccessDenied', 'previous join state is required but was not provided');
  assertTraceError(() => verify(Buffer.alloc(0)), 'AccessDenied', 'previous join state is required but was not provided');
});

test('garbage and malformed headers', () => {
  for (const input of ['asdf', 'a.b', 'a.b.c.d', `${b64('nope')}.${b64('{}')}.AAAA`, 'x'.repeat(65 * 1024)]) {
    assertTraceError(() => verify(input), 'BadParameter', 'parsing serialized join state');
  }
  assertTraceError(() => verify(`${b64('[]')}.${b64('{}')}.AAAA`), 'BadParameter', 'invalid JWT header');
  assertTraceError(() => verify(`${b64('null')}.${b64('{}')}.AAAA`), 'BadParameter', 'invalid JWT header');
  const noKid = signCompactJws('{}', active.privateKey, { alg: 'ES256', typ: 'JWT' });
  assertTraceError(() => verify(noKid), 'BadParameter', 'required key ID is missing from JWT header');
  for (const alg of ['none', 'HS256', 'RS256']) {
    assertTraceError(() => verify(`${b64(JSON.stringify({ alg, kid: active.kid }))}.${b64('{}')}.`), 'BadParameter', 'parsing serialized join state', `"${alg}"`);
  }
  const withJwk = signCompactJws('{}', active.privateKey, { alg: 'ES256', jwk: active.trusted.publicKey.export({ format: 'jwk' }), kid: active.kid });
  assertTraceError(() => verify(withJwk), 'BadParameter', '"jwk"');
});

test('untrusted signer, forged kid and algorithm mismatch: "join state could not be verified"', () => {
  assertTraceError(() => verify(issue({ signer: untrusted })), 'AccessDenied', 'join state could not be verified');
  // Claims the trusted kid but is signed by another key.
  assertTraceError(() => verify(issue({ signer: { ...untrusted, kid: active.kid } })), 'AccessDenied', 'join state could not be verified');
  // The trusted key is recorded as EdDSA; an ES256 document naming its kid is refused.
  const edTrustedAsWrongAlg = { ...second.trusted, alg: 'ES256' };
  assertTraceError(() => verify(issue({ signer: second }), { trustedKeys: [edTrustedAsWrongAlg] }), 'AccessDenied', 'join state could not be verified');
  // Tampered payload under a valid header and signature.
  const [h, , s] = issue().split('.');
  const tampered = `${h}.${b64(Buffer.from(issue({ recoverySequence: 9 }).split('.')[1]!, 'base64url').toString())}.${s}`;
  assertTraceError(() => verify(tampered), 'AccessDenied', 'join state could not be verified');
});

test('invalid count, invalid instance ID and host mismatch are aggregated', () => {
  assertTraceError(() => verify(issue({ recoverySequence: 1 })), 'AccessDenied', 'recovery counter mismatch');
  assertTraceError(() => verify(issue({ botInstanceId: 'other' })), 'AccessDenied', 'bot instance mismatch');
  const both = assertTraceError(() => verify(issue({ recoverySequence: 1, botInstanceId: 'other' })), 'AccessDenied', 'recovery counter mismatch', 'bot instance mismatch');
  assert.doesNotMatch(both.message, /host mismatch/);
  // A host-ID document presented for a bot token: instance and host both differ.
  assertTraceError(() => verify(issue({ botInstanceId: undefined, hostId: 'h' })), 'AccessDenied', 'bot instance mismatch', 'host mismatch');
  assertTraceError(() => verify(issue({ hostId: 'h' }), { expected: { recoverySequence: 2, botInstanceId: 'instance-1', hostId: 'other' } }), 'AccessDenied', 'host mismatch');
});

test('claims are validated with 1 minute of leeway under "validating join state claims"', () => {
  const wrap = 'validating join state claims: go-jose/go-jose/jwt: validation failed, ';
  // Issued too early: nbf (now - 10 s at issue) beyond the leeway.
  assertTraceError(() => verify(issue({ now: new Date(NOW.getTime() + 71_000) })), 'BadParameter', `${wrap}token not valid yet (nbf)`);
  assertTraceError(() => verify(issue({ now: new Date(NOW.getTime() + 61_000) })), 'BadParameter', `${wrap}token issued in the future (iat)`);
  verify(issue({ now: new Date(NOW.getTime() + 60_000) }));
  // Cluster name must match (issuer and audience).
  assertTraceError(() => verify(issue({ clusterName: 'wrong-cluster' })), 'BadParameter', `${wrap}invalid issuer claim (iss)`);
  const audOnly = signCompactJws(JSON.stringify({ iss: CLUSTER, sub: BOT, aud: 'x', recovery_sequence: 2, bot_instance_id: 'instance-1' }), active.privateKey, { alg: 'ES256', kid: active.kid, typ: 'JWT' });
  assertTraceError(() => verify(audOnly), 'BadParameter', `${wrap}invalid audience claim (aud)`);
  // Subject must match: renaming the bot breaks the document.
  assertTraceError(() => verify(issue(), { subject: 'renamed' }), 'BadParameter', `${wrap}invalid subject claim (sub)`);
  // An exp claim, if someone adds one, is honoured like go-jose would.
  const expired = signCompactJws(JSON.stringify({ iss: CLUSTER, sub: BOT, aud: CLUSTER, exp: T - 61, recovery_sequence: 2, bot_instance_id: 'instance-1' }), active.privateKey, { alg: 'ES256', kid: active.kid, typ: 'JWT' });
  assertTraceError(() => verify(expired), 'BadParameter', `${wrap}token is expired (exp)`);
});

test('informational parameters (recovery limit and mode) are not compared', () => {
  const result = verify(issue({ recoveryLimit: 99, recoveryMode: 'relaxed' }));
  assert.equal(result.claims.recovery_limit, 99);
  assert.equal(result.claims.recovery_mode, 'relaxed');
});

test('issueJoinState refuses bad signers and inputs', () => {
  assert.throws(() => issue({ signer: { ...active, alg: 'EdDSA' } }), /does not sign with EdDSA/);
  assert.throws(() => issue({ signer: { ...active, alg: 'RS256' as 'ES256' } }), /not allowed/);
  assert.throws(() => issue({ signer: { ...active, kid: '' } }), /key ID is required/);
  assert.throws(() => issue({ subject: '' }), /subject/);
  assert.throws(() => issue({ recoverySequence: -1 }), /non-negative integer/);
});
