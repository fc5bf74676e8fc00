// The cap on open join streams per client address: the stream past the cap
// ends at once with RESOURCE_EXHAUSTED naming the limit, a client on another
// address still joins, and the count drops however a stream ends (status,
// cancel, a client that disconnects mid-ceremony), and refusals to an
// address that keeps trying are paced. The flooding client
// connects from 127.0.0.2, which Linux routes to loopback like 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { encodeAuthorizedKey, generateKeyPair } from '../../crypto/index.js';
import { startAuthServer } from '../auth-server.js';
import type { RunningAuthServer } from '../auth-server.js';
import { control, createBotToken } from '../testing/control.js';
import { assertContract } from '../testing/contract.js';
import { honestJoin } from '../testing/join-test-client.js';
import { RawJoinConnection } from './testing/raw-join-client.js';
import { REFUSAL_BURST, REFUSAL_DELAY_MS } from './grpc-join-server.js';
import type { RawJoinStream } from './testing/raw-join-client.js';

const CAP = 4;
const FLOODER = '127.0.0.2';
let server: RunningAuthServer;
const key = generateKeyPair('ed25519');

before(async () => {
  server = await startAuthServer({ maxStreamsPerAddress: CAP });
  await createBotToken(server, 'honest', { initial_public_key: encodeAuthorizedKey(key.publicKey) });
  await createBotToken(server, 'parked', { initial_public_key: encodeAuthorizedKey(generateKeyPair('ed25519').publicKey) });
});
after(() => server.close());

const connect = (localAddress: string) =>
  RawJoinConnection.open({ joinAddress: server.joinAddress, caPem: server.authorities.hostCa.certificatePem, localAddress });

/** A stream the handler is serving: it got ServerInit and waits for BoundKeypairInit. */
async function parkedStream(conn: RawJoinConnection): Promise<RawJoinStream> {
  const stream = conn.stream();
  stream.send({ client_init: { join_method: 'bound_keypair', token_name: 'parked', system_role: 'Bot' } });
  const first = await stream.next();
  assert.equal(first.kind, 'message', `expected ServerInit, got ${JSON.stringify(first)}`);
  return stream;
}

async function eventually(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the capabilities report every limit', async () => {
  const caps = await control(server, 'GET', 'capabilities');
  assertContract('capabilities.schema.json', caps.body);
  const limits = caps.body?.limits as Record<string, number>;
  assert.equal(limits.max_streams_per_address, CAP);
  assert.equal(limits.max_message_bytes, 64 * 1024);
  assert.equal(limits.max_control_body_bytes, 1024 * 1024);
  assert.equal(limits.max_control_requests_per_address, 64);
  assert.equal(typeof limits.stream_timeout_ms, 'number');
});

test('past the cap a stream ends at once with RESOURCE_EXHAUSTED; another address still joins', async () => {
  const conn = await connect(FLOODER);
  assert.equal(conn.localAddress, FLOODER);
  const parked = [];
  for (let i = 0; i < CAP; i++) parked.push(await parkedStream(conn));
  assert.equal(server.openStreamsFrom(FLOODER), CAP);

  const refused = conn.stream();
  const end = await refused.next();
  assert.deepEqual(end.kind === 'end' && end.code, GrpcStatus.RESOURCE_EXHAUSTED);
  assert.match(end.kind === 'end' ? end.details : '', new RegExp(`too many connections from ${FLOODER.replaceAll('.', '\\.')}: ${CAP}, max is ${CAP} \\(open join streams per client address\\)`));
  assert.equal(server.openStreamsFrom(FLOODER), CAP, 'a refused stream holds nothing');

  const honest = await honestJoin(server, { token: 'honest', keys: [key.privateKey] });
  assert.equal(honest.code, 'OK', honest.details);

  // The flooder's own streams are untouched and still answer.
  parked[0]?.send({ client_init: { token_name: 'again' } });
  const answer = await parked[0]?.next();
  assert.equal(answer?.kind === 'end' && answer.code, GrpcStatus.INVALID_ARGUMENT);
  await eventually('the ended stream is no longer counted', () => server.openStreamsFrom(FLOODER) === CAP - 1);
  conn.destroy();
  await eventually('the abandoned streams are no longer counted', () => server.openStreamsFrom(FLOODER) === 0);
});

test('the count drops however a stream ends: half-close, cancel, a client that disconnects mid-ceremony', async () => {
  const conn = await connect(FLOODER);
  const halfClosed = await parkedStream(conn);
  const cancelled = await parkedStream(conn);
  const abandoned = await parkedStream(conn);
  assert.equal(server.openStreamsFrom(FLOODER), 3);

  halfClosed.end();
  const status = await halfClosed.ended;
  assert.equal(status.code, GrpcStatus.INVALID_ARGUMENT);
  assert.match(status.details, /expected client to send message of type \*messages\.BoundKeypairInit, got end of stream/);
  await eventually('the half-closed stream is released', () => server.openStreamsFrom(FLOODER) === 2);

  cancelled.cancel();
  await eventually('the cancelled stream is released', () => server.openStreamsFrom(FLOODER) === 1);

  void abandoned;
  conn.destroy();
  await eventually('the abandoned stream is released', () => server.openStreamsFrom(FLOODER) === 0);
  await eventually('no stream is open at all', () => server.openStreams() === 0);

  // The address has its full allowance back.
  const again = await connect(FLOODER);
  const streams = [];
  for (let i = 0; i < CAP; i++) streams.push(await parkedStream(again));
  again.destroy();
  await eventually('released again', () => server.openStreamsFrom(FLOODER) === 0);
});

test('a client that floods one stream with messages gets the status for the first wrong one', async () => {
  const conn = await connect(FLOODER);
  const stream = conn.stream();
  stream.send({ client_init: { join_method: 'bound_keypair', token_name: 'parked', system_role: 'Bot' } });
  for (let i = 0; i < 2_000; i++) stream.send({ giving_up: { reason: 'REASON_UNSPECIFIED', msg: 'x'.repeat(512) } });
  const status = await stream.ended;
  assert.equal(status.code, GrpcStatus.UNKNOWN);
  assert.match(status.details, /client gave up on join attempt/);
  conn.destroy();
  await eventually('released', () => server.openStreamsFrom(FLOODER) === 0);
});

test('an address that keeps being refused gets its refusals paced: a burst at once, then one a second', async () => {
  const hammer = '127.0.0.3';
  const conn = await connect(hammer);
  for (let i = 0; i < CAP; i++) await parkedStream(conn);
  const started = Date.now();
  const tries = REFUSAL_BURST + 4;
  const took = await Promise.all(Array.from({ length: tries }, async () => {
    const end = await conn.stream().ended;
    assert.equal(end.code, GrpcStatus.RESOURCE_EXHAUSTED);
    return Date.now() - started;
  }));
  took.sort((a, b) => a - b);
  assert.ok((took[REFUSAL_BURST - 1] ?? Infinity) < REFUSAL_DELAY_MS / 2, `the burst is refused at once: ${took.join(', ')} ms`);
  assert.ok((took[REFUSAL_BURST] ?? 0) >= REFUSAL_DELAY_MS * 0.9, `the rest wait: ${took.join(', ')} ms`);
  conn.destroy();
  await eventually('released', () => server.openStreamsFrom(hammer) === 0);
});

test('0 means no cap', async () => {
  const uncapped = await startAuthServer({ maxStreamsPerAddress: 0 });
  try {
    await createBotToken(uncapped, 'parked', { initial_public_key: encodeAuthorizedKey(generateKeyPair('ed25519').publicKey) });
    const conn = await RawJoinConnection.open({ joinAddress: uncapped.joinAddress, caPem: uncapped.authorities.hostCa.certificatePem, localAddress: FLOODER });
    for (let i = 0; i < CAP * 3; i++) {
      const s = conn.stream();
      s.send({ client_init: { join_method: 'bound_keypair', token_name: 'parked', system_role: 'Bot' } });
      assert.equal((await s.next()).kind, 'message');
    }
    assert.equal(uncapped.openStreamsFrom(FLOODER), CAP * 3);
    const limits = (await control(uncapped, 'GET', 'capabilities')).body?.limits as Record<string, number>;
    assert.equal(limits.max_streams_per_address, 0);
    conn.destroy();
  } finally {
    await uncapped.close();
  }
});
