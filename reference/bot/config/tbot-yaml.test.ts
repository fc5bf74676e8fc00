import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLog } from '../log.js';
import { parseTbotYaml } from './tbot-yaml.js';

const FULL = `
version: v2
auth_server: 127.0.0.1:3025
certificate_ttl: 2h
renewal_interval: 30m
oneshot: true
debug: true
onboarding:
  join_method: bound_keypair
  token: my-token
  bound_keypair:
    registration_secret: s3cret
    static_private_key_path: /keys/static
storage:
  type: directory
  path: /var/lib/teleport/bot
`;

test('every supported key is read', () => {
  assert.deepEqual(parseTbotYaml(FULL, 'tbot.yaml', memoryLog()), {
    authServer: '127.0.0.1:3025',
    certificateTtlMs: 2 * 3_600_000,
    renewalIntervalMs: 30 * 60_000,
    oneshot: true,
    debug: true,
    joinMethod: 'bound_keypair',
    token: 'my-token',
    registrationSecret: 's3cret',
    staticPrivateKeyPath: '/keys/static',
    storagePath: '/var/lib/teleport/bot',
  });
});

test('tbot v2\'s credential_ttl is read as the certificate TTL; both at once are refused', () => {
  assert.equal(parseTbotYaml('credential_ttl: 90m\n', 't', memoryLog()).certificateTtlMs, 90 * 60_000);
  assert.throws(() => parseTbotYaml('credential_ttl: 1h\ncertificate_ttl: 1h\n', 't', memoryLog()), /only one of "certificate_ttl" and "credential_ttl"/);
});

test('an empty file is an empty configuration', () => {
  assert.deepEqual(parseTbotYaml('', 't', memoryLog()), {});
});

test('tbot keys the reference bot does not implement are ignored with a warning', () => {
  const log = memoryLog();
  const config = parseTbotYaml('outputs: []\nservices: []\nproxy_server: p:443\nonboarding: {token: t}\n', 'tbot.yaml', log);
  assert.deepEqual(config, { token: 't' });
  assert.ok(log.lines.some((l) => l === 'WARN tbot.yaml: "outputs" is not supported by the reference bot and is ignored'));
});

test('unknown keys are errors naming the key', () => {
  assert.throws(() => parseTbotYaml('onboarding:\n  tokn: x\n', 'tbot.yaml', memoryLog()), /tbot.yaml: unknown key "onboarding.tokn"/);
  assert.throws(() => parseTbotYaml('onboarding:\n  bound_keypair:\n    secret: x\n', 't', memoryLog()), /unknown key "onboarding.bound_keypair.secret"/);
  assert.throws(() => parseTbotYaml('autho_server: x\n', 't', memoryLog()), /unknown key "autho_server"/);
});

test('wrong types and bad values are errors naming the key', () => {
  assert.throws(() => parseTbotYaml('oneshot: yes please\n', 't', memoryLog()), /oneshot must be true or false/);
  assert.throws(() => parseTbotYaml('renewal_interval: 20\n', 't', memoryLog()), /renewal_interval must be a Go duration string/);
  assert.throws(() => parseTbotYaml('renewal_interval: 20 minutes\n', 't', memoryLog()), /renewal_interval: invalid Go duration/);
  assert.throws(() => parseTbotYaml('onboarding:\n  token: [a]\n', 't', memoryLog()), /onboarding.token must be a string/);
  assert.throws(() => parseTbotYaml('storage: /var/lib\n', 't', memoryLog()), /storage must be a mapping/);
  assert.throws(() => parseTbotYaml('storage:\n  type: kubernetes_secret\n  name: x\n', 't', memoryLog()), /unknown key "storage.name"/);
  assert.throws(() => parseTbotYaml('storage:\n  type: memory\n', 't', memoryLog()), /storage.type "memory" is not supported/);
});

test('malformed YAML and duplicate keys are refused', () => {
  assert.throws(() => parseTbotYaml('onboarding: [\n', 't', memoryLog()), /t: invalid YAML/);
  assert.throws(() => parseTbotYaml('oneshot: true\noneshot: false\n', 't', memoryLog()), /invalid YAML/);
  assert.throws(() => parseTbotYaml('- a\n- b\n', 't', memoryLog()), /\(document\) must be a mapping/);
  assert.throws(() => parseTbotYaml('version: &v v2\nauth_server: *v\n', 't', memoryLog()), /t: invalid YAML: Alias resolution is disabled/);
});
