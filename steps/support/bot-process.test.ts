import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotProcessError, runOnce } from './bot-process.js';
import type { ProcessSpec } from './bot-process.js';
import { alive } from './testdata/process-alive.js';

const FAKE_BOT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata/fake-bot.mjs');

function spec(args: string[], extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return { label: 'join_once', argv: [process.execPath, FAKE_BOT, ...args], env: { PATH: process.env.PATH ?? '' }, cwd: process.cwd(), timeoutMs: 10_000, ...extra };
}

test('a one-shot run captures stdout, stderr, the exit code and the duration; env is exactly what was given', async () => {
  const r = await runOnce(spec(['echo', 'a b', '"q"'], { env: { EXIT: '3', ONLY: 'this' } }));
  assert.equal(r.exitCode, 3);
  assert.equal(r.signal, null);
  const out = JSON.parse(r.stdout) as { argv: string[]; env: Record<string, string> };
  assert.deepEqual(out.argv, ['a b', '"q"']);
  assert.equal(out.env.ONLY, 'this');
  assert.equal(out.env.PATH, undefined);
  assert.equal(r.stderr, 'a line on stderr\n');
  assert.ok(r.durationMs > 0);
});

test('a run past its timeout is killed and fails with a message naming the operation, the command and the output', async () => {
  const started = Date.now();
  await assert.rejects(runOnce(spec(['hang'], { timeoutMs: 500, shownArgv: ['bot', 'hang', '<secret>'] })), (e: unknown) => {
    assert.ok(e instanceof BotProcessError);
    assert.match(e.message, /^join_once did not finish within 500 ms and was killed \(SIGKILL\): bot hang "<secret>"\nstdout: started/);
    return true;
  });
  assert.ok(Date.now() - started < 5000);
});

test('a timeout kills the whole process group, children included', async () => {
  let childPid = 0;
  await assert.rejects(runOnce(spec(['family'], { timeoutMs: 800 })), (e: Error) => {
    childPid = Number(/child (\d+)/.exec(e.message)?.[1]);
    return true;
  });
  assert.ok(childPid > 0);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(childPid), false, 'the bot\'s child outlived the timeout');
});

test('what a finished one-shot leaves behind is killed too', async () => {
  const r = await runOnce(spec(['family', 'exit']));
  const childPid = Number(/child (\d+)/.exec(r.stdout)?.[1]);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(alive(childPid), false);
});

test('a command that cannot be started fails with a clear message', async () => {
  await assert.rejects(runOnce({ label: 'create_keypair', argv: ['/nonexistent/bot'], env: {}, cwd: process.cwd(), timeoutMs: 1000 }), /create_keypair: cannot start \/nonexistent\/bot: spawn \/nonexistent\/bot ENOENT/);
  await assert.rejects(runOnce({ label: 'x', argv: [], env: {}, cwd: process.cwd(), timeoutMs: 1000 }), /x: empty argv/);
});

test('aborting kills a run in flight', async () => {
  const abort = new AbortController();
  const run = runOnce(spec(['hang'], { abort: abort.signal }));
  setTimeout(() => abort.abort(), 300);
  await assert.rejects(run, /join_once was killed because the scenario ended while it ran/);
});
