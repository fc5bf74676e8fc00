// Regressions found with the fuzzer (harness/fuzz, docs/fuzzing.md):
//  - a requested expiry beyond the range of JavaScript's Date was refused as
//    "Expires must be in the future" although it is far in the future; it is
//    capped at the maximum certificate TTL like any other far-future expiry;
//  - a refused expiry (in the past) left a new bot instance record, or an
//    advanced generation, behind: it is now refused before either is written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { encodeAuthorizedKey, encodeSshWirePublicKey, generateKeyPair, signChallenge, spkiDer } from '../../../crypto/index.js';
import { startAuthServer } from '../../auth-server.js';
import type { RunningAuthServer } from '../../auth-server.js';
import { control, createBotToken } from '../../testing/control.js';
import { TestJoinStream, honestJoin } from '../../testing/join-test-client.js';
import { parseBotParams } from './credentials.js';

const subject = generateKeyPair('ed25519').publicKey;
const public_keys = { public_tls_key: spkiDer(subject), public_ssh_key: encodeSshWirePublicKey(subject) };

test('an expiry too far in the future for Date is still in the future', () => {
  for (const seconds of ['1000000000000000', '9000000000000000000', 1e15]) {
    const { expires } = parseBotParams({ public_keys, expires: { seconds, nanos: 0 } });
    assert.ok(expires && !Number.isNaN(expires.getTime()), `seconds ${seconds}: a valid date`);
    assert.ok(expires.getTime() > Date.now(), `seconds ${seconds}: in the future`);
  }
});

test('an expiry too far in the past for Date is still in the past; an ordinary one is kept exactly', () => {
  const { expires: past } = parseBotParams({ public_keys, expires: { seconds: '-9000000000000000000' } });
  assert.ok(past && past.getTime() < 0);
  const { expires } = parseBotParams({ public_keys, expires: { seconds: 1_900_000_000, nanos: 5_000_000 } });
  assert.equal(expires?.getTime(), 1_900_000_000_005);
  assert.equal(parseBotParams({ public_keys }).expires, undefined);
});

let server: RunningAuthServer;
before(async () => {
  server = await startAuthServer({});
});
after(() => server.close());

/** One join whose BoundKeypairInit asks for `expires`; the challenge is answered with `key`. */
async function joinAsking(token: string, key: KeyObject, expires: { seconds: number }, renew?: { joinState: Buffer; identity: { keyPem: string; certPem: string } }) {
  const stream = new TestJoinStream(server, renew?.identity);
  try {
    stream.send({ client_init: { join_method: 'bound_keypair', token_name: token, system_role: 'Bot' } });
    assert.equal((await stream.next()).kind, 'message');
    stream.send({ bound_keypair_init: { client_params: { bot_params: { public_keys, expires } }, previous_join_state: renew?.joinState ?? Buffer.alloc(0) } });
    const challenge = await stream.next();
    const c = challenge.kind === 'message' ? challenge.message.challenge?.bound_keypair_challenge : undefined;
    assert.ok(c, `expected a challenge, got ${JSON.stringify(challenge)}`);
    stream.send({ solution: { bound_keypair_challenge_solution: { solution: Buffer.from(signChallenge(c.challenge ?? '', key)) } } });
    return await stream.end();
  } finally {
    stream.close();
  }
}

const instances = async () => ((await control(server, 'GET', 'bot-instances')).body as { items: unknown[] }).items;

test('a refused expiry creates no bot instance on onboarding and advances no generation on renewal', async () => {
  const key = generateKeyPair('ed25519').privateKey;
  await createBotToken(server, 'expiry', { initial_public_key: encodeAuthorizedKey(key) });
  const past = { seconds: Math.floor(Date.now() / 1000) - 3_600 };

  const refused = await joinAsking('expiry', key, past);
  assert.equal(refused.code, 'INVALID_ARGUMENT');
  assert.match(refused.details, /Expires must be in the future/);
  assert.deepEqual(await instances(), []);

  const onboarded = await honestJoin(server, { token: 'expiry', keys: [key] });
  assert.equal(onboarded.code, 'OK', onboarded.details);
  const [before] = await instances();
  const result = onboarded.result?.bot_result;
  const renew = {
    joinState: result?.bound_keypair_result?.join_state as Buffer,
    identity: { keyPem: onboarded.subjectKeyPem, certPem: new X509Certificate(result?.certificates?.tls_cert as Buffer).toString() },
  };
  const refusedRenewal = await joinAsking('expiry', key, past, renew);
  assert.equal(refusedRenewal.code, 'INVALID_ARGUMENT');
  assert.deepEqual(await instances(), [before], 'the bot instance (and its generation) is as it was');
});
