// The process launcher: a real `bkp auth serve` child, its ready line, and
// no child left behind — neither after close() nor after a failed start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProcessServer } from './process.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('starts a server on free ports, returns its endpoints, and stops it on close', async () => {
  const server = await launchProcessServer({
    args: ['--join-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--web-addr', '127.0.0.1:0', '--control-credential', 'process-test', '--cluster-name', 'process.test'],
  });
  try {
    assert.equal(server.controlCredential, 'process-test');
    assert.equal(server.clusterName, 'process.test');
    assert.match(server.joinAddress, /^127\.0\.0\.1:\d+$/);
    const res = await fetch(new URL('cluster', server.controlUrl), { headers: { authorization: 'Bearer process-test' } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { join_address: string }).join_address, server.joinAddress);
    assert.ok(alive(server.pid));
  } finally {
    await server.close();
  }
  assert.ok(!alive(server.pid), 'the server process is still running after close()');
  await server.close(); // closing twice is harmless
});

test('a server that cannot start is reported with its stderr', async () => {
  await assert.rejects(
    launchProcessServer({ args: ['--join-addr', 'not-an-address', '--control-credential', 'x'] }),
    (err: Error) => /exited \(code \d+\) before it was ready/.test(err.message) && /host:port/.test(err.message),
  );
});

test('a server that prints no ready line in time is killed and reported', async () => {
  let message = '';
  await assert.rejects(
    launchProcessServer({ args: ['--join-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--control-credential', 'x'], readyTimeoutMs: 1 }),
    (err: Error) => {
      message = err.message;
      return /printed no ready line within 1 ms/.test(err.message);
    },
  );
  const pid = Number(/\(pid (\d+)\)/.exec(message)?.[1]);
  assert.ok(pid > 0, `the error names no pid: ${message}`);
  assert.ok(!alive(pid), 'the server that timed out is still running');
});

test('--advertise-join-addr and --advertise-web-addr are what the server reports, not its listen addresses', async () => {
  const server = await launchProcessServer({
    args: ['--join-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--web-addr', '127.0.0.1:0', '--control-credential', 'advertise-test',
      '--advertise-join-addr', '127.0.0.1:40025', '--advertise-web-addr', '127.0.0.1:40443'],
  });
  try {
    assert.equal(server.joinAddress, '127.0.0.1:40025');
    const res = await fetch(new URL('cluster', server.controlUrl), { headers: { authorization: 'Bearer advertise-test' } });
    const cluster = (await res.json()) as { join_address: string; web_address: string };
    assert.deepEqual([cluster.join_address, cluster.web_address], ['127.0.0.1:40025', '127.0.0.1:40443']);
  } finally {
    await server.close();
  }
});

test('an advertised address that is not host:port is refused at start', async () => {
  await assert.rejects(
    launchProcessServer({ args: ['--join-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--web-addr', '127.0.0.1:0', '--control-credential', 'x', '--advertise-join-addr', 'nowhere'] }),
    (err: Error) => /exited \(code \d+\) before it was ready/.test(err.message) && /host:port/.test(err.message),
  );
});
