// Pre-flight: a remote implementation played by nock, process targets that
// cannot start, and bot targets — each problem a configuration error naming
// the field or the address, before any scenario.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { loadTarget, parseTarget } from '../target/load-target.js';
import { PROJECT_ROOT } from '../target/schema.js';
import { preflight, unconfirmedClaims } from './preflight.js';
import { CAPABILITIES, CLUSTER, configurationProblem } from './test-fixtures.js';

const BASE = 'http://iut.invalid:3080';
const quiet = () => {};
const file = path.join(PROJECT_ROOT, 'targets/test-only.yaml');

before(() => {
  nock.disableNetConnect();
  // The reference server the bot pre-flight starts listens on the loopback.
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());
after(() => nock.enableNetConnect());

function remote(capabilities = '[]'): string {
  return `version: 1\nrole: server\nname: r\nlaunch: { mode: remote }\ncontrol_api: { url: "${BASE}", credential_env: BKP_TEST_PREFLIGHT_CREDENTIAL }\ncapabilities: ${capabilities}\n`;
}

function serveFake(): void {
  nock(BASE).get('/conformance/v1/health').reply(200, { status: 'ok' });
  nock(BASE).get('/conformance/v1/capabilities').matchHeader('authorization', 'Bearer from-env').reply(200, CAPABILITIES);
  nock(BASE).get('/conformance/v1/cluster').matchHeader('authorization', 'Bearer from-env').reply(200, CLUSTER);
}

function problem(run: Promise<unknown>): Promise<string> {
  return configurationProblem(run, 'pre-flight passed');
}

test('a remote implementation is reached with the credential from the environment; its claims are confirmed', async () => {
  process.env.BKP_TEST_PREFLIGHT_CREDENTIAL = 'from-env';
  serveFake();
  const result = await preflight(parseTarget(remote('[audit-events, clock-control]'), file), quiet);
  assert.deepEqual(result, { kind: 'ready', implementation: 'fake 1.2.3', features: ['audit-events', 'clock-control', 'role-Bot'], controlUrl: `${BASE}/conformance/v1/` });
});

test('a claim GET capabilities does not confirm is named by its place in the file', async () => {
  process.env.BKP_TEST_PREFLIGHT_CREDENTIAL = 'from-env';
  serveFake();
  assert.equal(await problem(preflight(parseTarget(remote('[audit-events, ca-rotation]'), file), quiet)),
    'configuration error: capabilities[1]: the target file claims "ca-rotation", but GET capabilities does not declare it');
  assert.deepEqual(unconfirmedClaims(['a', 'b'], new Set(['b'])), [{ where: 'capabilities[0]', what: 'the target file claims "a", but GET capabilities does not declare it' }]);
});

test('a remote target whose credential variable is unset', async () => {
  delete process.env.BKP_TEST_PREFLIGHT_CREDENTIAL;
  assert.equal(await problem(preflight(parseTarget(remote(), file), quiet)),
    'configuration error: control_api.credential_env: the environment variable BKP_TEST_PREFLIGHT_CREDENTIAL is not set (it must hold the control API credential)');
});

test('a remote implementation that answers 503 on health is named by its URL', async () => {
  process.env.BKP_TEST_PREFLIGHT_CREDENTIAL = 'from-env';
  nock(BASE).get('/conformance/v1/health').reply(503, { error: { kind: 'ConnectionProblem', message: 'store unavailable' } });
  assert.equal(await problem(preflight(parseTarget(remote(), file), quiet)),
    `configuration error: ${BASE}/conformance/v1/health: answered 503 (ConnectionProblem: store unavailable)`);
});

const PROCESS = (command: string) => `version: 1\nrole: server\nname: p\nlaunch:\n  mode: process\n  command: ${command}\n  env: { BKP_CONTROL_CREDENTIAL: "{credential}" }\n  ready: { stdout_json_event: ready, timeout: 5s }\n`;

test('a process target whose program does not exist', async () => {
  assert.match(await problem(preflight(parseTarget(PROCESS('[no-such-server-binary, serve]'), file), quiet)),
    /^configuration error: launch\.command\[0\]: "no-such-server-binary" is not an executable in PATH or in /);
});

test('a process target that exits before it is ready: its stderr is shown', async () => {
  const text = PROCESS(`[node, -e, "console.error('cannot open the store'); process.exit(3)"]`);
  assert.match(await problem(preflight(parseTarget(text, file), quiet)), /^configuration error: launch: target p \(pid \d+\) exited \(code 3\) before it was ready; its stderr:\ncannot open the store/);
});

test('a process target that never prints its ready line', async () => {
  const text = PROCESS(`[node, -e, "console.log('starting'); setTimeout(() => {}, 60000)"]`).replace('timeout: 5s', 'timeout: 300ms');
  assert.match(await problem(preflight(parseTarget(text, file), quiet)), /^configuration error: launch: target p \(pid \d+\) printed no ready line within 300 ms/);
});

test('the reference bot target passes: every operation renders, node is found, the reference server starts', async () => {
  const result = await preflight(loadTarget(path.join(PROJECT_ROOT, 'targets/reference-bot.yaml')), quiet);
  assert.equal(result.kind, 'ready');
});

test('a bot operation whose program is missing is named by its field', async () => {
  const bot = `version: 1\nrole: bot\nname: b\nbot:\n  capabilities: []\n  operations:\n    create_keypair: { argv: [./bin/nope, "{storage}"] }\n    join_once: { argv: [node, "{token}"] }\n    join_with_secret: { argv: [node] }\n    join_with_secret_file: { argv: [node] }\n    start_daemon: { argv: [node] }\n`;
  assert.match(await problem(preflight(parseTarget(bot, file), quiet)), /^configuration error: bot\.operations\.create_keypair\.argv\[0\]: "\.\/bin\/nope" is not an executable in PATH or in /);
});

test('a bot target cannot select a mutant through its environment (docs/mutants.md)', async () => {
  const text = readFileSync(path.join(PROJECT_ROOT, 'targets/reference-bot.yaml'), 'utf8')
    .replace('BKP_BOT_CLOCK_FILE: "{clock_file}"', 'BKP_BOT_CLOCK_FILE: "{clock_file}"\n    BKP_MUTANT: bot-kid-in-challenge-header');
  assert.match(await problem(preflight(parseTarget(text, path.join(PROJECT_ROOT, 'targets/test-only.yaml')), quiet)),
    /^configuration error: bot\.operations\.create_keypair\.env\.BKP_MUTANT: selects a mutant, a deliberately broken variant/);
});
