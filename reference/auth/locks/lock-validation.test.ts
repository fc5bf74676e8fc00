import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTraceError } from '../../protocol/errors.js';
import { LOCK_TARGET_KEYS } from './lock.js';
import { parseLockResource } from './lock-validation.js';

const named = () => 'generated-name';

function lockJson(spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { kind: 'lock', version: 'v2', spec: { target: { join_token: 't1' }, ...spec }, ...extra };
}

/** Asserts a BadParameter whose message contains `text` and whose field is `field`. */
function refuses(input: unknown, text: string, field?: string) {
  assert.throws(
    () => parseLockResource(input, named),
    (err) => {
      assert.ok(isTraceError(err, 'BadParameter'), `expected BadParameter, got ${String(err)}`);
      assert.ok(err.message.includes(text), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(text)}`);
      if (field !== undefined) assert.equal(err.field, field);
      return true;
    },
  );
}

test('a lock without a name is named by the server', () => {
  assert.equal(parseLockResource(lockJson(), named).metadata.name, 'generated-name');
  assert.equal(parseLockResource(lockJson({}, { metadata: {} }), named).metadata.name, 'generated-name');
  assert.equal(parseLockResource(lockJson({}, { metadata: { name: null } }), named).metadata.name, 'generated-name');
  // The default generator is a random UUID.
  assert.match(parseLockResource(lockJson()).metadata.name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

test('a given name is kept and checked, and the generator is not called', () => {
  const lock = parseLockResource(lockJson({}, { metadata: { name: 'my-lock', revision: 'r1' } }), () => assert.fail('generator called'));
  assert.equal(lock.metadata.name, 'my-lock');
  // The revision is accepted so a lock read back can be sent again, but not kept.
  assert.deepEqual(lock.metadata, { name: 'my-lock' });
  refuses(lockJson({}, { metadata: { name: 'a/b' } }), 'metadata.name: must not contain "/"', 'metadata.name');
  refuses(lockJson({}, { metadata: { name: '' } }), 'metadata.name: required', 'metadata.name');
  refuses(lockJson({}, { metadata: { name: 'x'.repeat(254) } }), 'metadata.name: must be at most 253 characters');
});

test('each target kind is accepted on its own', () => {
  for (const key of LOCK_TARGET_KEYS) {
    const lock = parseLockResource(lockJson({ target: { [key]: 'value' } }), named);
    assert.deepEqual(lock.spec.target, { [key]: 'value' }, key);
  }
  const all = { join_token: 't', bot_instance_id: 'i', user: 'u' };
  assert.deepEqual(parseLockResource(lockJson({ target: all }), named).spec.target, all);
});

test('a lock that targets nothing is refused', () => {
  const message = 'spec.target: must set at least one of join_token, bot_instance_id, user';
  refuses(lockJson({ target: {} }), message, 'spec.target');
  // Empty and null targets are "not set", so they do not count.
  refuses(lockJson({ target: { join_token: '', user: null } }), message, 'spec.target');
  refuses(lockJson({ target: undefined }), 'spec.target: required', 'spec.target');
  // Unset fields are dropped from the stored target.
  assert.deepEqual(parseLockResource(lockJson({ target: { join_token: 't', user: '' } }), named).spec.target, { join_token: 't' });
});

test('the optional spec fields are kept; absent ones stay absent', () => {
  const spec = { target: { user: 'u' }, message: 'stop', expires: '2030-01-01T00:00:00Z', created_at: '2025-01-01T00:00:00Z', created_by: 'admin' };
  assert.deepEqual(parseLockResource(lockJson(spec), named), { kind: 'lock', version: 'v2', metadata: { name: 'generated-name' }, spec });
  assert.deepEqual(Object.keys(parseLockResource(lockJson(), named).spec), ['target']);
  // "" means unset for timestamps, as Go's zero time.
  assert.equal(parseLockResource(lockJson({ expires: '' }), named).spec.expires, undefined);
});

test('unknown fields are refused by name', () => {
  refuses(lockJson({}, { status: {} }), 'status: unknown field', 'status');
  refuses(lockJson({}, { a: 1, b: 2 }), 'unknown top-level fields "a", "b"', 'a');
  refuses(lockJson({}, { metadata: { name: 'n', labels: {} } }), 'metadata.labels: unknown field', 'metadata.labels');
  refuses(lockJson({ ttl: '1h' }), 'spec.ttl: unknown field', 'spec.ttl');
  refuses(lockJson({ target: { join_token: 't', login: 'root' } }), 'spec.target.login: unknown field', 'spec.target.login');
});

test('expires and created_at must be RFC 3339', () => {
  for (const expires of ['tomorrow', '2030-01-01', '2030-13-01T00:00:00Z', '2030-01-01 00:00:00Z']) {
    refuses(lockJson({ expires }), 'spec.expires: must be an RFC 3339 timestamp', 'spec.expires');
  }
  refuses(lockJson({ expires: 1893456000 }), 'spec.expires: must be a string, got number', 'spec.expires');
  refuses(lockJson({ created_at: 'now' }), 'spec.created_at: must be an RFC 3339 timestamp', 'spec.created_at');
  assert.equal(parseLockResource(lockJson({ expires: '2030-01-01T00:00:00.5+02:00' }), named).spec.expires, '2030-01-01T00:00:00.5+02:00');
});

test('kind, version and the types of fields are checked', () => {
  refuses(lockJson({}, { kind: 'token' }), 'kind: must be "lock"', 'kind');
  refuses(lockJson({}, { kind: undefined }), 'kind: must be "lock"', 'kind');
  refuses(lockJson({}, { version: 'v1' }), 'version: must be "v2"', 'version');
  refuses([], '(document): must be an object, got array', '(document)');
  refuses(null, '(document): required');
  refuses(lockJson({}, { metadata: 'name' }), 'metadata: must be an object, got string', 'metadata');
  refuses(lockJson({}, { metadata: { name: 7 } }), 'metadata.name: must be a string, got number', 'metadata.name');
  refuses({ kind: 'lock', version: 'v2' }, 'spec: required', 'spec');
  refuses(lockJson({}, { spec: [] }), 'spec: must be an object, got array', 'spec');
  refuses(lockJson({ target: 'join_token' }), 'spec.target: must be an object, got string', 'spec.target');
  refuses(lockJson({ target: { join_token: 5 } }), 'spec.target.join_token: must be a string, got number', 'spec.target.join_token');
  refuses(lockJson({ target: { user: ['u'] } }), 'spec.target.user: must be a string, got array', 'spec.target.user');
  refuses(lockJson({ message: true }), 'spec.message: must be a string, got boolean', 'spec.message');
  refuses(lockJson({ created_by: {} }), 'spec.created_by: must be a string, got object', 'spec.created_by');
});

test('values are never echoed in error messages', () => {
  const secret = 'super-secret-value-1234';
  assert.throws(() => parseLockResource(lockJson({ expires: secret }), named), (err: Error) => !err.message.includes(secret));
  assert.throws(() => parseLockResource(lockJson({}, { kind: secret }), named), (err: Error) => !err.message.includes(secret));
});
