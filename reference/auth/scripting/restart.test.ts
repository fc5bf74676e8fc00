// POST restart: the join listener closes, every open stream is dropped, the
// store is kept, and the listener comes back on the same address after
// down_ms; the call answers once it listens again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { encodeAuthorizedKey, generateKeyPair } from '../../crypto/index.js';
import { startAuthServer } from '../auth-server.js';
import type { RunningAuthServer } from '../auth-server.js';
import { control, createBotToken } from '../testing/control.js';
import { assertContract } from '../testing/contract.js';
import { honestJoin } from '../testing/join-test-client.js';

let server: RunningAuthServer;
const logged: string[] = [];
before(async () => {
  server = await startAuthServer({ scripted: true, log: (line) => logged.push(line) });
});
after(() => server.close());

function connects(address: string): Promise<boolean> {
  const port = Number(address.split(':').pop());
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

test('a stream open during a restart is dropped; the server is back on the same address, with its store', async () => {
  const { privateKey, publicKey } = generateKeyPair('ed25519');
  await createBotToken(server, 'restart-token', { initial_public_key: encodeAuthorizedKey(publicKey) });
  await control(server, 'PUT', 'script', { faults: [{ id: 'park', when: { after_client: '*messages.BoundKeypairInit' }, action: { kind: 'hold' } }] });
  const open = honestJoin(server, { token: 'restart-token', keys: [privateKey] });
  const deadline = Date.now() + 5_000;
  while (((await control(server, 'GET', 'script')).body as { faults: { held: number }[] }).faults[0]?.held !== 1) {
    assert.ok(Date.now() < deadline, 'the stream never reached the hold');
    await new Promise((r) => setTimeout(r, 20));
  }

  const started = Date.now();
  const restarting = control(server, 'POST', 'restart', { down_ms: 400 });
  const dropped = await open;
  assert.equal(dropped.code, 'UNAVAILABLE', `the open stream is dropped: ${dropped.details}`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await connects(server.joinAddress), false, 'nobody listens while the server is down');
  const restarted = await restarting;
  assert.equal(restarted.status, 200);
  assertContract('restart.schema.json', restarted.body);
  assert.deepEqual(restarted.body, { join_address: server.joinAddress, down_ms: 400 });
  assert.ok(Date.now() - started >= 390, 'the answer comes once the server listens again');
  assert.equal(await connects(server.joinAddress), true);

  const transcript = ((await control(server, 'GET', 'transcripts?token=restart-token')).body as { transcripts: { end?: { code: string; message: string } }[] }).transcripts[0];
  assert.equal(transcript?.end?.code, 'UNAVAILABLE');
  assert.match(transcript?.end?.message ?? '', /restarted/);
  assert.equal(((await control(server, 'GET', 'script')).body as { faults: { held: number }[] }).faults[0]?.held, 0);

  await control(server, 'DELETE', 'script');
  const joined = await honestJoin(server, { token: 'restart-token', keys: [privateKey] });
  assert.equal(joined.code, 'OK', `a new stream after the restart works, with the token kept: ${joined.details}`);
  assert.deepEqual(logged.filter((l) => l.includes('unexpected')), [], 'a restart is not an unexpected error');
});

test('a restart with no stream open and no downtime answers at once', async () => {
  const res = await control(server, 'POST', 'restart');
  assert.equal(res.status, 200);
  assert.equal((res.body as { down_ms: number }).down_ms, 0);
  assert.equal(await connects(server.joinAddress), true);
});

test('closing the server during a restart\'s downtime does not wait for it to end', async () => {
  const other = await startAuthServer({ scripted: true });
  const pending = control(other, 'POST', 'restart', { down_ms: 60_000 }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  await other.close();
  assert.ok(Date.now() - started < 5_000, `close took ${Date.now() - started} ms`);
  await pending;
  assert.equal(await connects(other.joinAddress), false, 'and the listener does not come back');
});
