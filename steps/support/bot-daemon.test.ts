import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotDaemon } from './bot-daemon.js';
import type { ProcessSpec } from './bot-process.js';
import { alive } from './testdata/process-alive.js';

const FAKE_BOT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata/fake-bot.mjs');

function daemon(mode: string, extra: Partial<ProcessSpec> = {}, reloader?: (d: BotDaemon) => Promise<void>): BotDaemon {
  return new BotDaemon({ label: 'start_daemon', argv: [process.execPath, FAKE_BOT, mode], env: {}, cwd: process.cwd(), timeoutMs: 60_000, ...extra }, reloader);
}

test('daemon lifecycle: start, wait for output, reload (SIGUSR1), stop with SIGTERM, exit code', async () => {
  const d = daemon('daemon');
  await d.waitForOutput(/ready/, 5000);
  assert.equal(d.running, true);
  await d.reload();
  assert.equal((await d.waitForOutput(/renewed (\d+)/, 5000))[1], '1');
  await d.reload();
  // The first renewal line was consumed: this waits for the second.
  assert.equal((await d.waitForOutput(/renewed (\d+)/, 5000))[1], '2');
  const exit = await d.stop();
  assert.deepEqual(exit, { exitCode: 0, signal: null });
  assert.equal(d.running, false);
  assert.match(d.stdout(), /renewed 1\nrenewed 2\nstopping\n/);
  assert.equal(d.stderr(), 'ready\n');
  assert.match(d.output(), /ready[\s\S]*stopping/);
});

test('skipToEnd makes a wait look only at new output', async () => {
  const d = daemon('daemon');
  try {
    await d.waitForOutput(/ready/, 5000);
    d.signal('SIGUSR1');
    await d.waitForOutput(/renewed 1/, 5000);
    d.skipToEnd();
    await assert.rejects(d.waitForOutput(/renewed/, 300), /start_daemon printed nothing matching \/renewed\/ within 300 ms; latest output:\n[\s\S]*renewed 1/);
  } finally {
    await d.stop();
  }
});

test('kill(SIGKILL) ends the bot at once', async () => {
  const d = daemon('daemon');
  await d.waitForOutput(/ready/, 5000);
  assert.deepEqual(await d.kill('SIGKILL'), { exitCode: null, signal: 'SIGKILL' });
  assert.throws(() => d.signal('SIGUSR1'), /start_daemon is not running \(killed by SIGKILL\); cannot send SIGUSR1/);
});

test('stop escalates to SIGKILL when the bot ignores SIGTERM', async () => {
  const d = daemon('stubborn');
  await d.waitForOutput(/ready/, 5000);
  const started = Date.now();
  const exit = await d.stop(300);
  assert.equal(exit.signal, 'SIGKILL');
  assert.ok(Date.now() - started >= 250);
  assert.match(d.output(), /ignoring SIGTERM/);
});

test('a wait fails with the exit and the latest output when the bot exits first', async () => {
  const d = daemon('crash');
  await assert.rejects(d.waitForOutput(/never printed/, 5000), /start_daemon exited \(exit code 7\) before printing \/never printed\/; latest output:\nstarting/);
  assert.deepEqual(d.exitStatus, { exitCode: 7, signal: null });
});

test('stop ends the bot\'s children too', async () => {
  const d = daemon('family');
  const childPid = Number((await d.waitForOutput(/child (\d+)/, 5000))[1]);
  assert.equal(alive(childPid), true);
  await d.stop(300);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(childPid), false);
});

test('the daemon\'s lifetime cap kills a forgotten daemon', async () => {
  const d = daemon('daemon', { timeoutMs: 300 });
  assert.equal((await d.exited).signal, 'SIGKILL');
});

test('reload uses the reloader the driver gives', async () => {
  const d = daemon('daemon', {}, async (x) => x.signal('SIGUSR1'));
  try {
    await d.waitForOutput(/ready/, 5000);
    await d.reload();
    await d.waitForOutput(/renewed 1/, 5000);
  } finally {
    await d.stop();
  }
});

test('a daemon that cannot start reports it as its exit', async () => {
  const d = new BotDaemon({ label: 'start_daemon', argv: ['/nonexistent/bot'], env: {}, cwd: process.cwd(), timeoutMs: 1000 });
  await assert.rejects(d.waitForOutput(/ready/, 2000), /start_daemon exited \(exit code null\) before printing \/ready\/; latest output:\n\[suite\] cannot start \/nonexistent\/bot: spawn \/nonexistent\/bot ENOENT/);
});

// A bot in a container: the suite's child is the `docker run` client, which
// relays the bot's exit (128 + 9 after a SIGKILL). Here SIGUSR2 plays the
// container being killed: the child then exits with 137 by itself.
const RELAYING_CLIENT = "process.on('SIGUSR2', () => process.exit(137)); process.on('SIGTERM', () => {}); process.stderr.write('ready\\n'); setInterval(() => {}, 1000)";

function relayingDaemon(killer: (d: BotDaemon) => Promise<void>): BotDaemon {
  return new BotDaemon({ label: 'start_daemon', argv: [process.execPath, '-e', RELAYING_CLIENT], env: {}, cwd: process.cwd(), timeoutMs: 60_000 }, undefined, killer);
}

test('with a killer, SIGKILL goes through it, and the relayed 137 is reported as death by SIGKILL', async () => {
  let kills = 0;
  const d = relayingDaemon(async (self) => {
    kills += 1;
    self.signal('SIGUSR2');
  });
  await d.waitForOutput(/ready/, 5000);
  assert.deepEqual(await d.kill('SIGKILL'), { exitCode: null, signal: 'SIGKILL' });
  assert.equal(kills, 1);
});

test('with a killer, stop() of a bot that ignores SIGTERM ends through the killer after the grace period', async () => {
  let kills = 0;
  const d = relayingDaemon(async (self) => {
    kills += 1;
    self.signal('SIGUSR2');
  });
  await d.waitForOutput(/ready/, 5000);
  assert.deepEqual(await d.stop(300), { exitCode: null, signal: 'SIGKILL' });
  assert.equal(kills, 1);
});

test('a killer that fails is reported in the output, and the client is killed at once', async () => {
  const d = relayingDaemon(async () => {
    throw new Error('no such container');
  });
  await d.waitForOutput(/ready/, 5000);
  const started = Date.now();
  assert.deepEqual(await d.kill('SIGKILL'), { exitCode: null, signal: 'SIGKILL' });
  assert.ok(Date.now() - started < 5_000, 'the fallback waited for the killer grace period');
  assert.match(d.output(), /\[suite\] kill operation failed: no such container/);
});

test('an exit code 137 the suite did not cause is reported as it is', async () => {
  const d = new BotDaemon({ label: 'start_daemon', argv: [process.execPath, '-e', 'process.exit(137)'], env: {}, cwd: process.cwd(), timeoutMs: 60_000 }, undefined, async () => {});
  assert.deepEqual(await d.exited, { exitCode: 137, signal: null });
});
