// Flags over file over defaults, and the checks of `bkp bot start`'s settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLog } from '../log.js';
import { ConfigError } from '../config/config-error.js';
import { resolveStartSettings } from './start-settings.js';
import type { StartFlags } from './start-settings.js';
import type { TbotFileConfig } from '../config/tbot-yaml.js';

const BASE: StartFlags = { authServer: 'auth.test:3025', token: 'tok', storage: '/var/lib/bot', insecure: true };
const resolve = (flags: StartFlags, file: TbotFileConfig = {}, env: NodeJS.ProcessEnv = {}) => resolveStartSettings(flags, file, env, memoryLog());

test('defaults: 1h TTL, 20m interval, 1s..1m retries, daemon mode', () => {
  const s = resolve(BASE);
  assert.equal(s.certificateTtlMs, 3_600_000);
  assert.equal(s.renewalIntervalMs, 1_200_000);
  assert.deepEqual(s.retry, { baseMs: 1_000, maxMs: 60_000 });
  assert.equal(s.oneshot, false);
  assert.deepEqual(s.trust, { insecure: true });
  assert.equal(s.registrationSecret, undefined);
  assert.equal(s.staticKey, undefined);
});

test('the file fills what the flags leave unset; flags win field by field', () => {
  const file: TbotFileConfig = {
    authServer: 'file.test:3025', token: 'file-token', storagePath: '/file/storage', certificateTtlMs: 7_200_000,
    renewalIntervalMs: 600_000, oneshot: true, registrationSecret: 'file-secret', staticPrivateKeyPath: '/file/key',
  };
  const fromFile = resolve({ insecure: true }, file);
  assert.equal(fromFile.authServer, 'file.test:3025');
  assert.equal(fromFile.tokenName, 'file-token');
  assert.equal(fromFile.storage, '/file/storage');
  assert.equal(fromFile.certificateTtlMs, 7_200_000);
  assert.equal(fromFile.oneshot, true);
  assert.equal(fromFile.registrationSecret, 'file-secret');
  assert.deepEqual(fromFile.staticKey, { path: '/file/key' });
  const overridden = resolve({ ...BASE, certificateTtl: 1_800_000, registrationSecret: 'flag-secret', staticKeyPath: '/flag/key' }, file);
  assert.equal(overridden.authServer, 'auth.test:3025');
  assert.equal(overridden.tokenName, 'tok');
  assert.equal(overridden.certificateTtlMs, 1_800_000);
  assert.equal(overridden.renewalIntervalMs, 600_000, 'from the file');
  assert.equal(overridden.registrationSecret, 'flag-secret');
  assert.deepEqual(overridden.staticKey, { path: '/flag/key' });
});

test('a secret path flag next to a literal in the file is the tbot conflict', () => {
  assert.throws(() => resolve({ ...BASE, registrationSecretPath: '/s' }, { registrationSecret: 'x' }), /only one of 'registration_secret' and 'registration_secret_path' may be set/);
});

test('the environment secret and static key are used when nothing else is configured', () => {
  const s = resolve(BASE, {}, { TBOT_REGISTRATION_SECRET: 'env-secret', TBOT_BOUND_KEYPAIR_STATIC_KEY: 'QUJD' });
  assert.equal(s.registrationSecret, 'env-secret');
  assert.deepEqual(s.staticKey, { envValue: 'QUJD' });
});

for (const [name, flags, file, pattern] of [
  ['another join method', { ...BASE, joinMethod: 'token' }, {}, /join method "token" is not supported by the reference bot: only "bound_keypair"/],
  ['another join method in the file', BASE, { joinMethod: 'iam' }, /join method "iam"/],
  ['no token', { ...BASE, token: undefined }, {}, /a join token must be provided with --token, TELEPORT_BOT_TOKEN or onboarding.token/],
  ['no auth server', { ...BASE, authServer: undefined }, {}, /an auth server address must be provided/],
  ['a bad auth server in the file', { ...BASE, authServer: undefined }, { authServer: 'no-port' }, /auth server address "no-port" must be host:port/],
  ['no storage', { ...BASE, storage: undefined }, {}, /a storage path must be provided/],
  ['no way to verify the auth server', { ...BASE, insecure: undefined }, {}, /must be verifiable: give --ca-path <pem> \(or --insecure\)/],
  ['a CA file that does not exist', { ...BASE, insecure: undefined, caPath: '/nonexistent/ca.pem' }, {}, /reading CA certificates from \/nonexistent\/ca.pem/],
  ['an interval not shorter than the TTL', { ...BASE, certificateTtl: 600_000 }, {}, /renewal interval \(1200000 ms\) must be shorter than the certificate TTL \(600000 ms\)/],
  ['a max retry delay below the base', { ...BASE, retryBaseDelay: 5_000, retryMaxDelay: 1_000 }, {}, /--retry-max-delay \(1000 ms\) must not be shorter than --retry-base-delay/],
] as const) {
  test(`refused: ${name}`, () => {
    assert.throws(() => resolve(flags as StartFlags, file as TbotFileConfig), (err: Error) => err instanceof ConfigError && pattern.test(err.message));
  });
}

test('a one-shot run does not check the interval it never uses', () => {
  assert.equal(resolve({ ...BASE, oneshot: true, certificateTtl: 600_000 }).certificateTtlMs, 600_000);
});

test('--insecure wins over --ca-path, with a warning', () => {
  const log = memoryLog();
  const s = resolveStartSettings({ ...BASE, caPath: '/does/not/matter' }, {}, {}, log);
  assert.deepEqual(s.trust, { insecure: true });
  assert.ok(log.lines.some((l) => l.startsWith('WARN --insecure is set')));
});
