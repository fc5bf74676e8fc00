import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotDriver } from './bot-driver.js';
import type { BotServer } from './bot-driver.js';
import { parseBotTarget } from './bot-target.js';

const FAKE_BOT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata/fake-bot.mjs');
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const SERVER_NOW = new Date('2030-01-02T03:04:05Z');

function target(capabilities: string[], extra = '') {
  const echo = (args: string) => `{ argv: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE_BOT)}, echo, ${args}] }`;
  return parseBotTarget(`
version: 1
role: bot
name: fake
bot:
  capabilities: [${capabilities.join(', ')}]
  env: { CLOCK: "{clock_file}", FROM_TARGET: target }
  operations:
    create_keypair: ${echo('"{storage}", "{web_addr}"')}
    join_once: ${echo('"{auth_addr}", "{token}", "{storage}", "{ca_path}", "{certificate_ttl}", "{renewal_interval}"')}
    join_with_secret: ${echo('--registration-secret, "{secret}"')}
    join_with_secret_file: ${echo('"{secret_path}"')}
    start_daemon: { argv: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE_BOT)}, daemon] }
${extra}`, '/tmp/fake-target.yaml');
}

function server(webAddr?: string): () => Promise<BotServer> {
  return async () => ({ authAddr: '127.0.0.1:3025', webAddr, caPem: CA, now: async () => SERVER_NOW });
}

interface Echo { argv: string[]; env: Record<string, string>; cwd: string; clock?: string }
const echoed = (stdout: string): Echo => JSON.parse(stdout) as Echo;

test('an operation is rendered with this scenario\'s values and run in the target\'s working directory', async () => {
  const d = new BotDriver(target([]), server(), { PATH: process.env.PATH, TBOT_REGISTRATION_SECRET: 'from-the-suite', HOME: '/home/x' });
  try {
    d.token = 'bot-token';
    d.certificateTtlMs = 2 * 60_000;
    const r = await d.run('join_once', { env: { FROM_SCENARIO: 'yes', FROM_TARGET: 'scenario wins' } });
    assert.equal(r.exitCode, 0);
    const out = echoed(r.stdout);
    const p = await d.paths();
    assert.deepEqual(out.argv, ['127.0.0.1:3025', 'bot-token', p.storage, p.caPath, '2m', '20m']);
    assert.equal(out.cwd, '/tmp');
    assert.equal(readFileSync(p.caPath, 'utf8'), `${CA}\n`);
    assert.equal(out.clock, '2030-01-02T03:04:05.000Z\n');
    assert.equal(out.env.FROM_SCENARIO, 'yes');
    assert.equal(out.env.FROM_TARGET, 'scenario wins');
    assert.equal(out.env.HOME, '/home/x');
    assert.equal(out.env.TBOT_REGISTRATION_SECRET, undefined, 'the suite\'s own environment leaked into the bot');
    assert.equal(existsSync(p.storage), false, 'creating the storage directory is the bot\'s job');
    assert.equal(statSync(p.root).mode & 0o777, 0o700);
    assert.deepEqual(d.runs, [r]);
  } finally {
    await d.cleanup();
  }
});

test('the registration secret reaches the bot but not the reports', async () => {
  const d = new BotDriver(target([]), server(), {});
  try {
    d.secret = 's3cr3t value';
    const r = await d.run('join_with_secret');
    assert.deepEqual(echoed(r.stdout).argv, ['--registration-secret', 's3cr3t value']);
    assert.equal(r.argv.includes('s3cr3t value'), false);
    assert.ok(r.argv.includes('<secret>'));
    const file = await d.writeSecretFile('  padded\n');
    assert.equal(echoed((await d.run('join_with_secret_file')).stdout).argv[0], file);
    assert.equal(readFileSync(file, 'utf8'), '  padded\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    await d.cleanup();
  }
});

test('missing values and missing operations are named', async () => {
  const d = new BotDriver(target([]), server(), {});
  try {
    await assert.rejects(d.run('join_once'), /bot\.operations\.join_once\.argv\[4\]: uses \{token\}, but the scenario has not given the bot a token name/);
    await assert.rejects(d.run('create_keypair'), /argv\[4\]: uses \{web_addr\}, but the server reported no web_address/);
    await assert.rejects(d.run('join_with_static_key'), /bot target fake has no operation join_with_static_key \(it comes with the static-keys capability; tag the scenario @needs-bot-static-keys\)/);
  } finally {
    await d.cleanup();
  }
});

test('a non-zero exit is a result, not an error', async () => {
  const d = new BotDriver(target([]), server('127.0.0.1:3080'), {});
  try {
    const r = await d.run('create_keypair', { env: { EXIT: '3' } });
    assert.equal(r.exitCode, 3);
    assert.equal(echoed(r.stdout).argv[1], '127.0.0.1:3080');
  } finally {
    await d.cleanup();
  }
});

test('capability-gated options and helpers refuse without the capability and work with it', async () => {
  const bare = new BotDriver(target([]), server(), {});
  bare.token = 't';
  try {
    await assert.rejects(bare.run('join_once', { retry: { baseDelayMs: 200, maxDelayMs: 1000 } }), /setting retry delays needs the bot capability retry-knobs, which bot target fake does not declare; tag the scenario @needs-bot-retry-knobs/);
    await assert.rejects(bare.run('create_keypair', { json: true }), /needs the bot capability json-output/);
    await assert.rejects(bare.storage(), /inspecting the storage directory needs the bot capability tbot-layout/);
    assert.throws(() => bare.exitCode('usage'), /needs the bot capability exit-codes/);
  } finally {
    await bare.cleanup();
  }
  const able = new BotDriver(target(['retry-knobs', 'json-output', 'tbot-layout', 'exit-codes'], '  exit_codes: { join_failed: 1, usage: 2, local_state: 3 }'), server('w:1'), {});
  able.token = 't';
  try {
    const r = await able.run('join_once', { retry: { baseDelayMs: 200, maxDelayMs: 1000 } });
    assert.deepEqual(echoed(r.stdout).argv.slice(-4), ['--retry-base-delay', '200ms', '--retry-max-delay', '1s']);
    assert.deepEqual(echoed((await able.run('create_keypair', { json: true })).stdout).argv.slice(-2), ['--format', 'json']);
    assert.equal((await able.storage()).dir, (await able.paths()).storage);
    assert.equal(able.exitCode('local_state'), 3);
  } finally {
    await able.cleanup();
  }
});

test('the clock file follows setClock, in the target\'s format', async () => {
  const d = new BotDriver(target([], '  clock_file_format: faketime'), server(), {});
  try {
    const { clockFile } = await d.paths();
    assert.equal(readFileSync(clockFile, 'utf8'), '@2030-01-02 03:04:05\n');
    await d.setClock(new Date('2031-05-06T07:08:09.5Z'));
    assert.equal(readFileSync(clockFile, 'utf8'), '@2031-05-06 07:08:09\n');
    await d.syncClock();
    assert.equal(readFileSync(clockFile, 'utf8'), '@2030-01-02 03:04:05\n');
  } finally {
    await d.cleanup();
  }
  const r = new BotDriver(target([]), server(), {});
  try {
    await r.setClock(new Date('2031-05-06T07:08:09.5Z'));
    assert.equal(readFileSync((await r.paths()).clockFile, 'utf8'), '2031-05-06T07:08:09.500Z\n');
  } finally {
    await r.cleanup();
  }
});

test('daemons reload the target\'s way and are stopped by cleanup, which removes the work directory', async () => {
  const d = new BotDriver(target(['reload-signal']), server(), {});
  const daemon = await d.startDaemon();
  await daemon.waitForOutput(/ready/, 5000);
  await daemon.reload();
  await daemon.waitForOutput(/renewed 1/, 5000);
  const { root } = await d.paths();
  await d.cleanup();
  assert.equal(daemon.running, false);
  assert.equal(daemon.exitStatus?.exitCode, 0);
  assert.equal(existsSync(root), false);
});

test('a reload given as an argv runs it; a target without reload says so', async () => {
  const withArgv = new BotDriver(target([], `  reload: { argv: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE_BOT)}, echo, reloading] }`), server(), {});
  const daemon = await withArgv.startDaemon();
  try {
    await daemon.waitForOutput(/ready/, 5000);
    await daemon.reload();
    assert.equal(withArgv.runs.at(-1)?.label, 'reload');
    assert.deepEqual(echoed(withArgv.runs.at(-1)?.stdout ?? '').argv, ['reloading']);
  } finally {
    await withArgv.cleanup();
  }
  const without = new BotDriver(target([]), server(), {});
  const other = await without.startDaemon();
  try {
    await assert.rejects(other.reload(), /bot target fake declares neither bot\.reload nor the reload-signal capability/);
  } finally {
    await without.cleanup();
  }
});

test('BKP_BOT_KEEP_WORKDIR=1 keeps the work directory for a post-mortem', async () => {
  const d = new BotDriver(target([]), server(), { BKP_BOT_KEEP_WORKDIR: '1' });
  const { root } = await d.paths();
  await d.cleanup();
  assert.equal(existsSync(root), true);
  await new BotDriver(target([]), server(), {}).cleanup(); // never prepared: nothing to do
  const { rm } = await import('node:fs/promises');
  await rm(root, { recursive: true });
});

test('cleanup kills one-shot runs still in flight, and nothing runs after it', async () => {
  const d = new BotDriver(target([], `  reload: { argv: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE_BOT)}, hang] }`), server(), {});
  d.token = 't';
  await d.prepare();
  const daemon = await d.startDaemon();
  const killed = assert.rejects(daemon.reload(), /reload was killed because the scenario ended while it ran/);
  await new Promise((r) => setTimeout(r, 300));
  await d.cleanup();
  await killed;
  await assert.rejects(d.run('join_once'), /the bot driver of this scenario is cleaned up; join_once cannot run any more/);
});

// A bot in a container (targets/reference-bot.container.yaml): {work_dir},
// {container_name} and {host_user}, and the kill operation naming the
// daemon's own container. Here the "container" is a process whose pid file
// is named after {container_name}, and kill reads it.
test('a target with a kill operation: a daemon is killed through it, with the daemon\'s {container_name}', async () => {
  const node = JSON.stringify(process.execPath);
  const daemonScript = JSON.stringify("require('fs').writeFileSync(process.argv[1] + '/' + process.argv[2] + '.pid', String(process.pid)); process.stderr.write('ready ' + process.argv[3] + '\\n'); setInterval(() => {}, 1000)");
  const killScript = JSON.stringify("process.kill(Number(require('fs').readFileSync(process.argv[1] + '/' + process.argv[2] + '.pid', 'utf8')), 'SIGKILL')");
  const withKill = parseBotTarget(`
version: 1
role: bot
name: fake-container
bot:
  capabilities: [container]
  operations:
    create_keypair: { argv: [${node}, ${JSON.stringify(FAKE_BOT)}, echo] }
    join_once: { argv: [${node}, ${JSON.stringify(FAKE_BOT)}, echo, "{work_dir}", "{container_name}", "{host_user}"] }
    join_with_secret: { argv: [${node}, ${JSON.stringify(FAKE_BOT)}, echo] }
    join_with_secret_file: { argv: [${node}, ${JSON.stringify(FAKE_BOT)}, echo] }
    start_daemon: { argv: [${node}, -e, ${daemonScript}, "{work_dir}", "{container_name}", "{host_user}"] }
    kill: { argv: [${node}, -e, ${killScript}, "{work_dir}", "{container_name}"] }
`, '/tmp/fake-container-target.yaml');
  assert.ok(withKill.operations.kill);
  // The container capability needs the kill operation.
  assert.throws(() => target(['container']), /bot\.operations\.kill: missing required field/);
  const d = new BotDriver(withKill, server(), { PATH: process.env.PATH });
  try {
    const p = await d.paths();
    const once = echoed((await d.run('join_once')).stdout).argv;
    assert.equal(once[0], p.root);
    assert.match(once[1] ?? '', new RegExp(`^bkp-bot-${process.pid}-`));
    assert.equal(once[2], `${process.getuid?.()}:${process.getgid?.()}`);
    const daemon = await d.startDaemon();
    await daemon.waitForOutput(/ready/, 5000);
    assert.deepEqual(await daemon.kill('SIGKILL'), { exitCode: null, signal: 'SIGKILL' });
    const kill = d.runs.at(-1);
    assert.equal(kill?.label, 'kill');
    assert.equal(kill?.exitCode, 0);
    // The kill named the daemon's container, and every run had its own.
    assert.equal(kill?.argv.at(-1), daemon.argv.at(-2));
    assert.notEqual(once[1], daemon.argv.at(-2));
  } finally {
    await d.cleanup();
  }
});
