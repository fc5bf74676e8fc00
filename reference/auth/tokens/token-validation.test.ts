import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTraceError } from '../../protocol/errors.js';
import { parseTokenDocument, parseTokenResource } from './token-validation.js';

function botToken(spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    kind: 'token',
    version: 'v2',
    metadata: { name: 'bot-token' },
    spec: { roles: ['Bot'], bot_name: 'robot', join_method: 'bound_keypair', bound_keypair: {}, ...spec },
    ...extra,
  };
}

/** Asserts a BadParameter whose message contains `text` and whose field is `field`. */
function refuses(input: unknown, text: string, field?: string) {
  assert.throws(
    () => parseTokenResource(input),
    (err) => {
      assert.ok(isTraceError(err, 'BadParameter'), `expected BadParameter, got ${String(err)}`);
      assert.ok(err.message.includes(text), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(text)}`);
      if (field !== undefined) assert.equal(err.field, field);
      return true;
    },
  );
}

test('an empty bound_keypair block is accepted and recovery defaults to limit 1, mode ""', () => {
  const token = parseTokenResource(botToken());
  assert.deepEqual(token.spec.bound_keypair, { recovery: { limit: 1, mode: '' } });
});

test('an explicit recovery block without a limit keeps limit 0', () => {
  const token = parseTokenResource(botToken({ bound_keypair: { recovery: { mode: 'standard' } } }));
  assert.deepEqual(token.spec.bound_keypair?.recovery, { limit: 0, mode: 'standard' });
});

test('recovery.mode and the public key format are not validated at store time', () => {
  const token = parseTokenResource(
    botToken({ bound_keypair: { recovery: { limit: 2, mode: 'bogus' }, onboarding: { initial_public_key: 'not a key' } } }),
  );
  assert.equal(token.spec.bound_keypair?.recovery?.mode, 'bogus');
  assert.equal(token.spec.bound_keypair?.onboarding?.initial_public_key, 'not a key');
});

test('a bound_keypair token without spec.bound_keypair is refused with Teleport\'s message', () => {
  const input = botToken();
  delete (input.spec as Record<string, unknown>).bound_keypair;
  refuses(input, 'bound_keypair token requires non-nil spec.bound_keypair', 'spec.bound_keypair');
});

test('kind, version and metadata.name are checked', () => {
  refuses({ ...botToken(), kind: 'lock' }, 'kind: must be "token"', 'kind');
  refuses({ ...botToken(), version: 'v1' }, 'version: must be "v2"', 'version');
  refuses({ ...botToken(), metadata: {} }, 'metadata.name: required', 'metadata.name');
  refuses({ ...botToken(), metadata: { name: 'a/b' } }, 'metadata.name: must not contain "/"');
  refuses({ ...botToken(), metadata: { name: 'x'.repeat(254) } }, 'metadata.name: must be at most 253 characters');
  refuses({ ...botToken(), metadata: { name: 7 } }, 'metadata.name: must be a string, got number');
  assert.equal(parseTokenResource({ ...botToken(), metadata: { name: 'x'.repeat(253) } }).metadata.name.length, 253);
});

test('roles, join_method and bot_name are checked', () => {
  refuses(botToken({ roles: [] }), 'spec.roles: must be a non-empty array of strings', 'spec.roles');
  refuses(botToken({ roles: ['Bot', 3] }), 'spec.roles[1]: must be a non-empty string', 'spec.roles[1]');
  refuses(botToken({ join_method: undefined }), 'spec.join_method: required');
  refuses(botToken({ join_method: 5 }), 'spec.join_method: must be a string');
  refuses(botToken({ bot_name: undefined }), 'spec.bot_name: required when spec.roles contains "Bot"', 'spec.bot_name');
  refuses(botToken({ roles: ['Node'] }), 'spec.bot_name: only allowed when spec.roles contains "Bot"');
  assert.deepEqual(parseTokenResource(botToken({ roles: ['Node'], bot_name: undefined })).spec.roles, ['Node']);
});

test('recovery.limit must be a uint32', () => {
  const withLimit = (limit: unknown) => botToken({ bound_keypair: { recovery: { limit } } });
  refuses(withLimit(-1), 'spec.bound_keypair.recovery.limit: must be a non-negative integer', 'spec.bound_keypair.recovery.limit');
  refuses(withLimit(1.5), 'spec.bound_keypair.recovery.limit: must be a non-negative integer');
  refuses(withLimit('3'), 'spec.bound_keypair.recovery.limit: must be a non-negative integer');
  refuses(withLimit(2 ** 32), 'spec.bound_keypair.recovery.limit: must be at most 4294967295');
  assert.equal(parseTokenResource(withLimit(2 ** 32 - 1)).spec.bound_keypair?.recovery?.limit, 2 ** 32 - 1);
});

test('timestamps must be RFC 3339', () => {
  refuses(botToken({ bound_keypair: { rotate_after: 'tomorrow' } }), 'spec.bound_keypair.rotate_after: must be an RFC 3339 timestamp');
  refuses(botToken({ bound_keypair: { onboarding: { must_register_before: '2025-01-01' } } }), 'spec.bound_keypair.onboarding.must_register_before');
  refuses({ ...botToken(), metadata: { name: 'n', expires: '2025-13-01T00:00:00Z' } }, 'metadata.expires');
  refuses(botToken({}, { status: { bound_keypair: { last_recovered_at: 12 } } }), 'status.bound_keypair.last_recovered_at: must be a string');
  const token = parseTokenResource(botToken({ bound_keypair: { rotate_after: '2025-01-02T03:04:05.5+01:00' } }));
  assert.equal(token.spec.bound_keypair?.rotate_after, '2025-01-02T03:04:05.5+01:00');
});

test('strings must be strings', () => {
  refuses(botToken({ bound_keypair: { onboarding: { registration_secret: 42 } } }), 'spec.bound_keypair.onboarding.registration_secret: must be a string, got number');
  refuses(botToken({}, { status: { bound_keypair: { bound_public_key: ['x'] } } }), 'status.bound_keypair.bound_public_key: must be a string, got array');
  refuses(botToken({}, { status: { bound_keypair: { recovery_count: -2 } } }), 'status.bound_keypair.recovery_count: must be a non-negative integer');
});

test('unknown fields are refused by name', () => {
  refuses(botToken({}, { extra: 1 }), 'extra: unknown field', 'extra');
  refuses(botToken({}, { a: 1, b: 2 }), 'unknown top-level fields "a", "b"', 'a');
  refuses(botToken({ bound_keypair: { joining: { unlimited: true } } }), 'spec.bound_keypair.joining: unknown field', 'spec.bound_keypair.joining');
  refuses(botToken({ bound_keypair: { recovery: { limit: 1, modes: 'x' } } }), 'spec.bound_keypair.recovery.modes: unknown field');
  refuses(botToken({ allow: [] }), 'spec.allow: unknown field');
});

test('secrets are never echoed in error messages', () => {
  const secret = 'super-secret-value-1234';
  assert.throws(() => parseTokenResource(botToken({ bound_keypair: { onboarding: { registration_secret: secret, x: 1 } } })), (err: Error) => !err.message.includes(secret));
  assert.throws(() => parseTokenDocument(`{"registration_secret": ${secret}}`, 'application/json'), (err: Error) => !err.message.includes(secret));
  assert.throws(() => parseTokenDocument(`secret: ${secret}: x`, 'application/yaml'), (err: Error) => !err.message.includes(secret));
});

test('tokens of other join methods get generic validation only', () => {
  const token = parseTokenResource(botToken({ join_method: 'token', bound_keypair: undefined }));
  assert.equal(token.spec.join_method, 'token');
  assert.equal(token.spec.bound_keypair, undefined);
});

test('status is parsed and kept; the output holds only known fields', () => {
  const token = parseTokenResource(
    botToken({}, { status: { bound_keypair: { registration_secret: 's', recovery_count: 3, last_rotated_at: '2025-01-01T00:00:00Z' } } }),
  );
  assert.deepEqual(token.status, { bound_keypair: { registration_secret: 's', recovery_count: 3, last_rotated_at: '2025-01-01T00:00:00Z' } });
  assert.deepEqual(Object.keys(token), ['kind', 'version', 'metadata', 'spec', 'status']);
});

test('parseTokenDocument reads YAML and JSON, one object document only', () => {
  const yaml = 'kind: token\nversion: v2\nmetadata:\n  name: y\nspec:\n  roles: [Bot]\n  bot_name: b\n  join_method: bound_keypair\n  bound_keypair: {}\n';
  assert.equal(parseTokenResource(parseTokenDocument(yaml, 'application/yaml')).metadata.name, 'y');
  assert.equal(parseTokenResource(parseTokenDocument(yaml)).metadata.name, 'y');
  assert.equal(parseTokenDocument('{"kind":"token"}', 'application/json; charset=utf-8').kind, 'token');
  // A YAML timestamp stays a string: the core schema does not build Dates.
  assert.equal(parseTokenDocument('t: 2025-01-01T00:00:00Z', 'text/yaml').t, '2025-01-01T00:00:00Z');

  const fails = (text: string, contentType: string | undefined, message: RegExp) =>
    assert.throws(() => parseTokenDocument(text, contentType), (err) => isTraceError(err, 'BadParameter') && message.test(err.message));
  fails('a: 1\n---\nb: 2\n', 'application/yaml', /exactly one YAML document, found 2/);
  fails('- a\n- b\n', 'application/yaml', /must be an object, got array/);
  fails('"just a string"', 'application/json', /must be an object, got string/);
  fails('{"a": }', 'application/json', /malformed JSON/);
  fails('{"a": 1', undefined, /malformed JSON: .*position 7/);
  fails('a: b: c', 'application/yaml', /malformed YAML: Nested mappings/);
  fails('a: 1\na: 2', 'application/yaml', /malformed YAML: Map keys must be unique/);
  fails('   ', 'application/json', /empty document/);
  fails('a=1', 'application/x-www-form-urlencoded', /unsupported content type/);
});
