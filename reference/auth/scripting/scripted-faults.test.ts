// Every fault kind on real join streams (gRPC over TLS to the reference
// server in scripted mode), holds and their release, and what the script
// API reports. Restarts are in restart.test.ts, transcripts in
// ../transcripts/transcripts.test.ts.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { encodeAuthorizedKey, generateKeyPair } from '../../crypto/index.js';
import { startAuthServer } from '../auth-server.js';
import type { RunningAuthServer } from '../auth-server.js';
import { control, createBotToken } from '../testing/control.js';
import { assertContract } from '../testing/contract.js';
import { TestJoinStream, honestJoin } from '../testing/join-test-client.js';

let server: RunningAuthServer;
before(async () => {
  server = await startAuthServer({ scripted: true });
});
after(() => server.close());
beforeEach(async () => assert.equal((await control(server, 'POST', 'reset')).status, 204));

/** A token with a pre-registered key, and the key. */
async function botWithKey(name: string, extra: Record<string, unknown> = {}): Promise<KeyObject> {
  const { privateKey, publicKey } = generateKeyPair('ed25519');
  await createBotToken(server, name, { initial_public_key: encodeAuthorizedKey(publicKey), ...extra });
  return privateKey;
}

async function script(faults: Record<string, unknown>[], seed?: string) {
  const res = await control(server, 'PUT', 'script', { ...(seed ? { seed } : {}), faults });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assertContract('script.schema.json', res.body);
  return res.body as { seed: string; faults: { id: string; fired: number; held: number }[] };
}

async function scriptView() {
  const res = await control(server, 'GET', 'script');
  assertContract('script.schema.json', res.body);
  return res.body as { seed: string; faults: { id: string; fired: number; held: number }[] };
}

async function transcriptsOf(token: string) {
  const res = await control(server, 'GET', `transcripts?token=${token}`);
  assertContract('transcript-list.schema.json', res.body);
  return (res.body as { transcripts: { end?: { code: string; message: string }; faults: string[]; messages: { direction: string; type: string }[] }[] }).transcripts;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('drop after a client message: the client sees UNAVAILABLE, nothing is committed, the next stream is untouched', async () => {
  const key = await botWithKey('drop-token');
  await script([{ id: 'cut', when: { after_client: '*messages.BoundKeypairChallengeSolution' }, action: { kind: 'drop' } }]);
  const dropped = await honestJoin(server, { token: 'drop-token', keys: [key] });
  assert.equal(dropped.code, 'UNAVAILABLE', dropped.details);
  assert.deepEqual(dropped.received, ['init', 'challenge']);
  const token = (await control(server, 'GET', 'tokens/drop-token')).body as { status: { bound_keypair: Record<string, unknown> } };
  assert.equal(token.status.bound_keypair.bound_public_key ?? '', '', 'the solution was never acted on');
  const [t] = await transcriptsOf('drop-token');
  assert.deepEqual(t?.faults, ['cut']);
  assert.equal(t?.end?.code, 'UNAVAILABLE');
  assert.match(t?.end?.message ?? '', /connection dropped by scripted fault "cut"/);
  assert.equal(t?.messages.at(-1)?.type, '*messages.BoundKeypairChallengeSolution', 'the solution was received before the drop');

  const retried = await honestJoin(server, { token: 'drop-token', keys: [key] });
  assert.equal(retried.code, 'OK', retried.details);
  assert.deepEqual((await scriptView()).faults.map((f) => f.fired), [1], 'times defaults to 1');
});

test('error before the result: the exact status reaches the client, after the commit', async () => {
  const key = await botWithKey('error-token');
  await script([{ id: 'late', when: { before_server: '*messages.BotResult' }, action: { kind: 'error', code: 'ABORTED', message: 'scripted: result withheld' } }]);
  const res = await honestJoin(server, { token: 'error-token', keys: [key] });
  assert.deepEqual([res.code, res.details], ['ABORTED', 'scripted: result withheld']);
  assert.equal(res.result, undefined);
  const token = (await control(server, 'GET', 'tokens/error-token')).body as { status: { bound_keypair: Record<string, unknown> } };
  assert.notEqual(token.status.bound_keypair.bound_public_key ?? '', '', 'a result is built after the commit: the key is bound');
  const joins = ((await control(server, 'GET', 'audit-events?event=bot.join&token_name=error-token')).body as { items: { success: boolean; error?: string }[] }).items;
  assert.deepEqual(joins.map((e) => e.success), [false], 'the join is audited as failed: its result never left');
  const [t] = await transcriptsOf('error-token');
  assert.deepEqual(t?.end, { code: 'ABORTED', message: 'scripted: result withheld' });
  assert.ok(!t?.messages.some((m) => m.type === '*messages.BotResult'), 'the withheld result is not in the transcript');
});

test('tamper: the client gets the changed message, and the transcript shows what was sent', async () => {
  const key = await botWithKey('tamper-token');
  await script([{ id: 'strip', times: 1, when: { before_server: '*messages.BotResult' }, action: { kind: 'tamper', change: 'strip_bound_keypair_result' } }]);
  const stripped = await honestJoin(server, { token: 'tamper-token', keys: [key] });
  assert.equal(stripped.code, 'OK', stripped.details);
  assert.equal(stripped.result?.bot_result?.bound_keypair_result, undefined, 'the bound keypair part is gone');
  assert.ok(stripped.result?.bot_result?.certificates?.tls_cert, 'the certificates are still there');

  await script([{ id: 'foreign', when: { before_server: '*messages.BotResult' }, action: { kind: 'tamper', change: 'foreign_result_public_key' } }]);
  const key2 = await botWithKey('tamper-token-2');
  const foreign = await honestJoin(server, { token: 'tamper-token-2', keys: [key2] });
  const named = foreign.result?.bot_result?.bound_keypair_result?.public_key?.toString('utf8') ?? '';
  assert.match(named, /^ssh-ed25519 /);
  const bound = ((await control(server, 'GET', 'tokens/tamper-token-2')).body as { status: { bound_keypair: { bound_public_key: string } } }).status.bound_keypair.bound_public_key;
  assert.notEqual(named, bound.trim(), 'the result names a key the token is not bound to');

  await script([{ id: 'odd', when: { before_server: '*messages.BoundKeypairChallenge' }, action: { kind: 'tamper', change: 'unexpected_message' } }]);
  const key3 = await botWithKey('tamper-token-3');
  const odd = await honestJoin(server, { token: 'tamper-token-3', keys: [key3] });
  assert.deepEqual(odd.received.slice(0, 2), ['init', 'init'], 'a ServerInit came where the challenge should have');
  const [t] = await transcriptsOf('tamper-token-3');
  assert.deepEqual(t?.faults, ['odd']);
  assert.equal(t?.messages.filter((m) => m.type === '*messages.ServerInit').length, 2, 'the transcript shows the ServerInit that was sent instead');
});

test('delay: a fixed wait, then the join carries on', async () => {
  const key = await botWithKey('delay-token');
  await script([{ id: 'slow', when: { after_client: '*messages.ClientInit' }, action: { kind: 'delay', ms: 300 } }]);
  const started = Date.now();
  const res = await honestJoin(server, { token: 'delay-token', keys: [key] });
  assert.equal(res.code, 'OK', res.details);
  assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
});

test('delay: a range drawn from the seeded PRNG; the seed is recorded, and one is generated when none is given', async () => {
  const key = await botWithKey('range-token');
  const view = await script([{ id: 'jitter', times: 0, action: { kind: 'delay', min_ms: 150, max_ms: 250 } }], 'seed-42');
  assert.equal(view.seed, 'seed-42');
  const started = Date.now();
  assert.equal((await honestJoin(server, { token: 'range-token', keys: [key] })).code, 'OK');
  assert.ok(Date.now() - started >= 140);
  assert.equal((await scriptView()).faults[0]?.fired, 1);
  const generated = await script([]);
  assert.match(generated.seed, /^[0-9a-f]{16}$/);
});

test('hold: the stream waits at its point (GET script shows it) until released', async () => {
  const key = await botWithKey('hold-token');
  await script([{ id: 'pause', when: { before_server: '*messages.BoundKeypairChallenge' }, action: { kind: 'hold' } }]);
  const join = honestJoin(server, { token: 'hold-token', keys: [key] });
  await until('the stream is held', async () => (await scriptView()).faults[0]?.held === 1);
  const [t] = await transcriptsOf('hold-token');
  assert.equal(t?.end, undefined, 'still open');
  assert.deepEqual(t?.messages.map((m) => m.type), ['*messages.ClientInit', '*messages.ServerInit', '*messages.BoundKeypairInit'], 'held before the challenge was sent');
  const released = await control(server, 'POST', 'script/release', { fault_id: 'pause' });
  assert.equal(released.status, 200);
  assertContract('script-release.schema.json', released.body);
  assert.deepEqual(released.body, { fault_id: 'pause', released: 1 });
  assert.equal((await join).code, 'OK');
  assert.equal((await scriptView()).faults[0]?.held, 0);
});

test('hold: a client that goes away is no longer held', async () => {
  await botWithKey('gone-token');
  await script([{ id: 'pause', times: 0, when: { after_client: '*messages.ClientInit' }, action: { kind: 'hold' } }]);
  const stream = new TestJoinStream(server);
  stream.send({ client_init: { join_method: 'bound_keypair', token_name: 'gone-token', system_role: 'Bot' } });
  await until('the stream is held', async () => (await scriptView()).faults[0]?.held === 1);
  stream.cancel();
  stream.close();
  await until('the hold is gone', async () => (await scriptView()).faults[0]?.held === 0);
  await until('the transcript has ended', async () => (await transcriptsOf('gone-token'))[0]?.end !== undefined);
  assert.equal((await transcriptsOf('gone-token'))[0]?.end?.code, 'CANCELLED');
});

test('hold: the stream deadline ends it', async () => {
  const key = await botWithKey('deadline-token');
  assert.equal((await control(server, 'PATCH', 'settings', { stream_timeout_ms: 300 })).status, 200);
  await script([{ id: 'forever', when: { after_client: '*messages.BoundKeypairInit' }, action: { kind: 'hold' } }]);
  const res = await honestJoin(server, { token: 'deadline-token', keys: [key] });
  assert.equal(res.code, 'RESOURCE_EXHAUSTED');
  assert.match(res.details, /join attempt timed out after 300ms/);
  assert.equal((await scriptView()).faults[0]?.held, 0);
});

test('unavailable: refused at once; a token limits it to that token; times 0 means every stream', async () => {
  const a = await botWithKey('outage-token');
  const b = await botWithKey('other-token');
  await script([{ id: 'outage', token: 'outage-token', times: 0, action: { kind: 'unavailable' } }]);
  for (let i = 0; i < 2; i++) {
    const res = await honestJoin(server, { token: 'outage-token', keys: [a] });
    assert.deepEqual([res.code, res.details], ['UNAVAILABLE', 'join service unavailable (scripted outage)']);
    assert.deepEqual(res.received, [], 'refused before ServerInit');
  }
  assert.equal((await honestJoin(server, { token: 'other-token', keys: [b] })).code, 'OK');
  assert.equal((await scriptView()).faults[0]?.fired, 2);

  await script([{ id: 'everyone', action: { kind: 'unavailable' } }]);
  const refused = await honestJoin(server, { token: 'other-token', keys: [b] });
  assert.equal(refused.code, 'UNAVAILABLE');
  const all = (await control(server, 'GET', 'transcripts')).body as { transcripts: { token_name?: string; messages: unknown[]; end?: { code: string } }[] };
  const t = all.transcripts.at(-1);
  assert.deepEqual(t?.messages, [], 'a fault without a token refuses the stream before its first message');
  assert.equal(t?.token_name, undefined, 'so the stream never named its token');
  assert.equal(t?.end?.code, 'UNAVAILABLE');
});

test('several faults at one point act in script order', async () => {
  const key = await botWithKey('order-token');
  await script([
    { id: 'first-wait', when: { after_client: '*messages.ClientInit' }, action: { kind: 'delay', ms: 200 } },
    { id: 'then-fail', when: { after_client: '*messages.ClientInit' }, action: { kind: 'error', code: 'INTERNAL', message: 'boom' } },
    { id: 'never', when: { after_client: '*messages.ClientInit' }, action: { kind: 'delay', ms: 1 } },
  ]);
  const started = Date.now();
  const res = await honestJoin(server, { token: 'order-token', keys: [key] });
  assert.deepEqual([res.code, res.details], ['INTERNAL', 'boom']);
  assert.ok(Date.now() - started >= 190);
  assert.deepEqual((await transcriptsOf('order-token'))[0]?.faults, ['first-wait', 'then-fail']);
  assert.deepEqual((await scriptView()).faults.map((f) => f.fired), [1, 1, 0], 'a fault after the ending one never fired');
});

test('occurrence: the n-th message of that type in the stream', async () => {
  // rotate_after in the past: onboarding challenges the registered key, then rotates and challenges the new one.
  const key = await botWithKey('twice-token');
  const token = (await control(server, 'GET', 'tokens/twice-token')).body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  token.spec.bound_keypair.rotate_after = '2000-01-01T00:00:00Z';
  assert.equal((await control(server, 'PUT', 'tokens/twice-token', token)).status, 200);
  await script([{ id: 'second', when: { before_server: '*messages.BoundKeypairChallenge', occurrence: 2 }, action: { kind: 'error', code: 'FAILED_PRECONDITION', message: 'no second challenge' } }]);
  const res = await honestJoin(server, { token: 'twice-token', keys: [key] });
  assert.deepEqual([res.code, res.details], ['FAILED_PRECONDITION', 'no second challenge']);
  assert.deepEqual(res.received, ['init', 'challenge', 'rotation']);
});

test('the script API: GET, DELETE, reset, and refusals naming the field', async () => {
  await script([{ id: 'x', action: { kind: 'hold' } }]);
  assert.equal((await control(server, 'DELETE', 'script')).status, 204);
  assert.deepEqual((await scriptView()).faults, []);
  await script([{ id: 'x', action: { kind: 'hold' } }]);
  await control(server, 'POST', 'reset');
  assert.deepEqual((await scriptView()).faults, [], 'reset clears the script');

  const bad = await control(server, 'PUT', 'script', { faults: [{ id: 'x', action: { kind: 'error', code: 'NOPE', message: 'm' } }] });
  assert.equal(bad.status, 400);
  assertContract('error.schema.json', bad.body);
  assert.equal((bad.body as { error: { field: string } }).error.field, 'faults[0].action.code');
  assert.equal((await control(server, 'POST', 'script/release', { fault_id: 'nope' })).status, 404);
  assert.equal(((await control(server, 'POST', 'script/release', {})).body as { error: { field: string } }).error.field, 'fault_id');
  assert.equal(((await control(server, 'POST', 'restart', { down_ms: -1 })).body as { error: { field: string } }).error.field, 'down_ms');
  const caps = (await control(server, 'GET', 'capabilities')).body as { features: string[] };
  assert.ok(caps.features.includes('scripting') && caps.features.includes('transcripts'));
});
