import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BotTargetError, DEFAULT_BOT_TARGET, configuredBotTarget, loadBotTarget, neededBotCapabilities, parseBotTarget } from './bot-target.js';

const MINIMAL = `
version: 1
role: bot
name: tiny
bot:
  capabilities: [reload-signal]
  env: { SHARED: "{clock_file}" }
  operations:
    create_keypair: { argv: [bot, create, "{storage}"] }
    join_once: { argv: [bot, join, "{token}"], timeout: 5s, env: { SHARED: own } }
    join_with_secret: { argv: [bot, join, "{secret}"] }
    join_with_secret_file: { argv: [bot, join, "{secret_path}"] }
    start_daemon: { argv: [bot, run] }
`;

function errorOf(text: string): string {
  try {
    parseBotTarget(text, '/t/target.yaml');
  } catch (e) {
    assert.ok(e instanceof BotTargetError, String(e));
    return e.message;
  }
  assert.fail('the target was accepted');
}

test('a minimal target loads with defaults', () => {
  const t = parseBotTarget(MINIMAL, '/t/target.yaml');
  assert.equal(t.name, 'tiny');
  assert.equal(t.workingDirectory, '/t');
  assert.equal(t.operations.join_once?.timeoutMs, 5000);
  assert.equal(t.operations.create_keypair?.timeoutMs, 30_000);
  assert.equal(t.operations.start_daemon?.timeoutMs, 600_000);
  assert.deepEqual(t.operations.create_keypair?.env, { SHARED: '{clock_file}' });
  assert.deepEqual(t.operations.join_once?.env, { SHARED: 'own' });
  assert.deepEqual(t.reload, { signal: 'SIGUSR1' });
  assert.equal(t.clockFileFormat, 'rfc3339');
  assert.equal(t.operations.join_with_static_key, undefined);
});

test('schema errors name the file and the field', () => {
  assert.match(errorOf(MINIMAL.replace('join_once:', 'join_onse:')), /bot target \/t\/target\.yaml: does not follow the bot contract:[\s\S]*bot\.operations\.join_once: missing required field[\s\S]*bot\.operations\.join_onse: unknown field/);
  assert.match(errorOf(MINIMAL.replace('[reload-signal]', '[reload-signal, teleport]')), /bot\.capabilities\[1\]: must be one of "tbot-layout"/);
  assert.match(errorOf(MINIMAL.replace('timeout: 5s', 'timeout: 5')), /bot\.operations\.join_once\.timeout: must be string/);
  assert.match(errorOf(MINIMAL.replace('timeout: 5s', 'timeout: five')), /bot\.operations\.join_once\.timeout: must match pattern/);
  assert.match(errorOf(MINIMAL.replace('role: bot', 'role: server')), /role: must be "bot"/);
  assert.match(errorOf(MINIMAL.replace('[bot, run]', '[]')), /bot\.operations\.start_daemon\.argv: must NOT have fewer than 1 items/);
  assert.match(errorOf(MINIMAL.replace('version: 1\n', '')), /version: missing required field/);
});

test('capabilities bring their own requirements', () => {
  assert.match(errorOf(MINIMAL.replace('[reload-signal]', '[static-keys]')), /bot\.operations\.create_static_keypair: missing required field[\s\S]*join_with_static_key: missing required field/);
  assert.match(errorOf(MINIMAL.replace('[reload-signal]', '[exit-codes]')), /bot\.exit_codes: missing required field/);
});

test('an unknown placeholder is a configuration error naming it and the field', () => {
  assert.match(errorOf(MINIMAL.replace('"{token}"', '"{tokn}"')), /bot\.operations\.join_once\.argv\[2\]: unknown placeholder \{tokn\}/);
  assert.match(errorOf(MINIMAL.replace('SHARED: own', 'SHARED: "{own}"')), /bot\.operations\.join_once\.env\.SHARED: unknown placeholder \{own\}/);
  assert.match(errorOf(MINIMAL.replace('"{clock_file}"', '"{clock}"')), /bot\.env\.SHARED: unknown placeholder \{clock\}/);
});

test('YAML that is not YAML, or uses aliases, is refused', () => {
  assert.match(errorOf('version: [1'), /not valid YAML/);
  assert.match(errorOf(MINIMAL.replace('name: tiny', 'name: &n tiny\ndescription: *n')), /not valid YAML: Alias resolution is disabled/);
});

test('a missing file and a bad working directory are named', () => {
  assert.throws(() => loadBotTarget('/nonexistent/bot.yaml'), /bot target \/nonexistent\/bot\.yaml: cannot read it/);
});

test('the reference bot target loads, with every capability', () => {
  const t = loadBotTarget(DEFAULT_BOT_TARGET);
  assert.equal(t.name, 'reference-bot');
  assert.equal(t.workingDirectory, path.resolve(path.dirname(DEFAULT_BOT_TARGET), '..'));
  assert.equal(t.capabilities.size, 9);
  assert.deepEqual(t.exitCodes, { join_failed: 1, usage: 2, local_state: 3 });
  assert.equal(configuredBotTarget({}).name, 'reference-bot');
});

test('@needs-bot- tags name capabilities; an unknown one is an error', () => {
  assert.deepEqual(neededBotCapabilities(['@BKP-CLI-001', '@needs-clock-control', '@needs-bot-static-keys']), ['static-keys']);
  assert.throws(() => neededBotCapabilities(['@needs-bot-teleport']), /tag @needs-bot-teleport names no bot capability/);
});
