import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { notFound } from '../../protocol/errors.js';
import { parseTokenResource } from '../tokens/token-validation.js';
import { parseLockResource } from '../locks/lock-validation.js';
import { CONTROL_API_VERSION, PROTOCOL_VERSION } from './control-plane.js';
import { MAX_BODY_BYTES, startControlApi } from './http-server.js';
import type { ControlApi } from './http-server.js';
import type { ControlPlane, Settings } from './control-plane.js';
import type { ProvisionToken } from '../tokens/token.js';
import type { Lock } from '../locks/lock.js';
import type { BotInstance } from '../bot-instances/bot-instance.js';

// ---- schemas ---------------------------------------------------------------------

const contractDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/contract/control-api');
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormatsPlugin.default(ajv); // CommonJS module: its default export sits on .default under NodeNext
for (const file of readdirSync(contractDir).filter((f) => f.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(contractDir, file), 'utf8')) as object, file);
}
function assertSchema(file: string, value: unknown) {
  const validate = ajv.getSchema(file);
  assert.ok(validate, `schema ${file} not loaded`);
  assert.ok(validate(value), `${file}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
}

// ---- a fake plane that records what reached it ---------------------------------

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const NOW = '2025-03-04T05:06:07Z';

function fakePlane() {
  const calls: [string, ...unknown[]][] = [];
  const tokens = new Map<string, ProvisionToken>();
  let settings: Settings = { stream_timeout_ms: 30_000, signature_algorithm_suite: 'balanced-v1' };
  const lock: Lock = { kind: 'lock', version: 'v2', metadata: { name: 'l1' }, spec: { target: { join_token: 't' }, message: 'm', created_at: NOW } };
  const auth = { auth_time: NOW, join_method: 'bound_keypair', join_token: 't', generation: 1, recovery_count: 1 };
  const instance: BotInstance = {
    kind: 'bot_instance', version: 'v1', metadata: { name: 'i1' }, spec: { bot_name: 'robot', instance_id: 'i1' },
    status: { initial_authentication: auth, latest_authentications: [auth] },
  };
  const stored = (input: unknown) => {
    const token = parseTokenResource(input);
    token.metadata.revision = 'rev-1';
    tokens.set(token.metadata.name, token);
    return token;
  };
  const plane: ControlPlane = {
    capabilities: () => ({
      control_api_version: CONTROL_API_VERSION, protocol_version: PROTOCOL_VERSION, implementation: { name: 'fake', version: '0' },
      join_methods: ['bound_keypair'], roles: ['Bot'], recovery_modes: ['standard', 'relaxed', 'insecure'], onboarding: ['initial_public_key', 'registration_secret'],
      rotation: true, clock_control: true, signature_algorithm_suites: ['balanced-v1'], signature_algorithm_suite: 'balanced-v1', token_stores: ['memory'],
      limits: { max_message_bytes: 65536, stream_timeout_ms: 30000, max_certificate_ttl_ms: 86400000, default_certificate_ttl_ms: 3600000 }, features: ['lock-management'],
    }),
    cluster: () => ({
      cluster_name: 'c', signature_algorithm_suite: 'balanced-v1', join_address: '127.0.0.1:3025', host_ca_certificates: [PEM], user_ca_certificates: [PEM],
      bound_keypair_ca_keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AA', kid: 'k', alg: 'EdDSA', use: 'sig' }],
    }),
    tokens: {
      create: async (t) => (calls.push(['tokens.create', t]), stored(t)),
      apply: async (t) => (calls.push(['tokens.apply', t]), stored(t)),
      get: async (name) => {
        calls.push(['tokens.get', name]);
        const t = tokens.get(name);
        if (!t) throw notFound(`token "${name}" not found`);
        return t;
      },
      list: async () => [...tokens.values()],
      delete: async (name) => void calls.push(['tokens.delete', name]),
      writeStatus: async (name, status) => (calls.push(['tokens.writeStatus', status]), stored({ ...(tokens.get(name) ?? {}), metadata: { name }, status })),
      requestRotation: async (name) => {
        calls.push(['tokens.requestRotation', name]);
        if (name === 'explode') throw new Error('secret internal detail');
        return stored({ ...(tokens.get(name) ?? {}), metadata: { name } });
      },
    },
    locks: {
      list: async () => [lock],
      create: async (l) => (calls.push(['locks.create', l]), parseLockResource(l, () => 'generated')),
      delete: async (name) => void calls.push(['locks.delete', name]),
    },
    botInstances: { list: async (bot) => (calls.push(['botInstances.list', bot]), [instance]), get: async () => instance },
    audit: {
      list: async (filter) => (calls.push(['audit.list', filter]), [{ index: 1, event: 'join_token.create', code: 'TJT00I', time: NOW, success: true, token_name: 't' }]),
    },
    clock: {
      get: () => ({ kind: 'virtual', now: NOW }),
      advance: (ms) => (calls.push(['clock.advance', ms]), { kind: 'virtual', now: NOW }),
      set: (to) => (calls.push(['clock.set', to.toISOString()]), { kind: 'virtual', now: to.toISOString() }),
    },
    settings: {
      get: () => settings,
      update: (patch) => (calls.push(['settings.update', patch]), (settings = { ...settings, ...patch })),
    },
    reset: async () => void calls.push(['reset']),
    joinAttempts: {
      list: async (filter) => (calls.push(['joinAttempts.list', filter]), [
        { id: 'a1', token_name: 't1', system_role: 'Bot', peer: '127.0.0.1:1', started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T00:00:01Z',
          outcome: { ok: true }, messages: [{ from: 'client', type: '*messages.ClientInit' }, { from: 'server', type: '*messages.ServerInit' }] },
      ]),
    },
    transcripts: {
      list: async (filter) => (calls.push(['transcripts.list', filter]), [
        { id: 7, token_name: 't1', peer: '127.0.0.1:1', authenticated: false, started_at: NOW, ended_at: NOW, faults: [],
          messages: [{ direction: 'client', type: '*messages.ClientInit', at: NOW, fields: { token_name: 't1' } }], end: { code: 'NOT_FOUND', message: 'token expired or not found' } },
      ]),
    },
    mintJoinState: async (request) => (calls.push(['mintJoinState', request]), { join_state: 'aGVhZGVy.cGF5bG9hZA.c2ln' }),
    rotateBoundKeypairCa: async () => (calls.push(['rotateBoundKeypairCa']), plane.cluster()),
  };
  return { plane, calls };
}

// ---- harness ---------------------------------------------------------------------

const CREDENTIAL = 'test-credential-0123456789';
let api: ControlApi;
let fake: ReturnType<typeof fakePlane>;
const logged: string[] = [];

before(async () => {
  fake = fakePlane();
  // The server holds the plane it was started with; tests reset its recorded calls.
  api = await startControlApi({ plane: fake.plane, host: '127.0.0.1', port: 0, credential: CREDENTIAL, logger: { info: (m) => logged.push(m), error: (m) => logged.push(m) } });
});
after(() => api.close());
beforeEach(() => void (fake.calls.length = 0));

interface CallOptions { body?: string | object; contentType?: string; auth?: string | null }
async function call(method: string, route: string, o: CallOptions = {}) {
  const headers: Record<string, string> = {};
  if (o.auth !== null) headers.authorization = o.auth ?? `Bearer ${CREDENTIAL}`;
  let body: string | undefined;
  if (o.body !== undefined) {
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    headers['content-type'] = o.contentType ?? 'application/json';
  }
  const res = await fetch(new URL(route, api.url), { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

function assertError(r: Awaited<ReturnType<typeof call>>, status: number, kind: string, text?: string, field?: string) {
  assert.equal(r.status, status);
  assertSchema('error.schema.json', r.json);
  const error = (r.json as { error: { kind: string; message: string; field?: string } }).error;
  assert.equal(error.kind, kind);
  if (text) assert.ok(error.message.includes(text), `${JSON.stringify(error.message)} lacks ${JSON.stringify(text)}`);
  if (field) assert.equal(error.field, field);
}

const tokenJson = (name = 't1') => ({
  kind: 'token', version: 'v2', metadata: { name },
  spec: { roles: ['Bot'], bot_name: 'robot', join_method: 'bound_keypair', bound_keypair: {} },
});

// ---- tests -----------------------------------------------------------------------

describe('authentication', () => {
  test('health answers without credentials', async () => {
    const r = await call('GET', 'health', { auth: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'ok' });
  });

  test('everything else needs the bearer credential', async () => {
    for (const auth of [null, 'Bearer wrong', `Basic ${CREDENTIAL}`, `Bearer ${CREDENTIAL}x`, 'Bearer']) {
      const r = await call('GET', 'capabilities', { auth });
      assertError(r, 401, 'Unauthenticated');
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
    assertError(await call('GET', 'no-such-route', { auth: null }), 401, 'Unauthenticated');
    assertError(await call('POST', 'reset', { auth: null }), 401, 'Unauthenticated');
    assert.deepEqual(fake.calls, []);
    assert.equal((await call('GET', 'capabilities', { auth: `bearer ${CREDENTIAL}` })).status, 200);
  });

  test('an empty credential is refused at start-up', async () => {
    await assert.rejects(startControlApi({ plane: fake.plane, host: '127.0.0.1', port: 0, credential: '' }));
  });
});

describe('routing', () => {
  test('unknown routes are 404, wrong methods 405 with Allow', async () => {
    assertError(await call('GET', 'nope'), 404, 'NotFound', 'no route');
    assertError(await call('GET', '/other/path'), 404, 'NotFound');
    assertError(await call('GET', 'tokens/a/b'), 404, 'NotFound');
    const r = await call('DELETE', 'tokens');
    assertError(r, 405, 'BadParameter');
    assert.equal(r.headers.get('allow'), 'GET, POST');
    assert.equal((await call('PATCH', 'tokens/x')).headers.get('allow'), 'GET, PUT, DELETE');
  });

  test('unknown or repeated query parameters are refused', async () => {
    assertError(await call('GET', 'tokens?x=1'), 400, 'BadParameter', 'unknown query parameter', 'x');
    assertError(await call('GET', 'audit-events?event=a&event=b'), 400, 'BadParameter', 'more than once', 'event');
    assertError(await call('GET', 'audit-events?since_index=abc'), 400, 'BadParameter', 'non-negative integer', 'since_index');
    assertError(await call('GET', 'tokens/%E0%A4%A'), 400, 'BadParameter', 'percent-encoding');
    assert.deepEqual(fake.calls, []);
  });
});

describe('responses match the contract schemas', () => {
  test('capabilities, cluster, clock, settings', async () => {
    for (const [route, schema] of [['capabilities', 'capabilities.schema.json'], ['cluster', 'cluster.schema.json'], ['clock', 'clock.schema.json'], ['settings', 'settings.schema.json']] as const) {
      const r = await call('GET', route);
      assert.equal(r.status, 200, route);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assertSchema(schema, r.json);
    }
  });

  test('tokens: create (201), get, list, apply, rotation request, delete (204)', async () => {
    const created = await call('POST', 'tokens', { body: tokenJson('t1') });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), '/conformance/v1/tokens/t1');
    assertSchema('token.schema.json', created.json);
    assertSchema('token.schema.json', (await call('GET', 'tokens/t1')).json);
    assertSchema('token-list.schema.json', (await call('GET', 'tokens')).json);
    const applied = await call('PUT', 'tokens/t1', { body: tokenJson('t1') });
    assert.equal(applied.status, 200);
    assertSchema('token.schema.json', applied.json);
    const rotated = await call('POST', 'tokens/t1/rotation-request');
    assert.equal(rotated.status, 200);
    assertSchema('token.schema.json', rotated.json);
    const rawStatus = { bound_keypair: { bound_public_key: 'ssh-ed25519 AAAA', recovery_count: 2 } };
    const written = await call('PUT', 'tokens/t1/status', { body: rawStatus });
    assert.equal(written.status, 200);
    assertSchema('token.schema.json', written.json);
    assert.equal((await call('PUT', 'tokens/t1/status', { body: { spec: {} } })).status, 400, 'only a status is accepted');
    const deleted = await call('DELETE', 'tokens/t1');
    assert.equal(deleted.status, 204);
    assert.equal(deleted.json, undefined);
    assert.deepEqual(fake.calls.map((c) => c[0]), ['tokens.create', 'tokens.get', 'tokens.apply', 'tokens.requestRotation', 'tokens.writeStatus', 'tokens.delete']);
  });

  test('join attempts, filtered by token name', async () => {
    const res = await call('GET', 'join-attempts?token_name=t1');
    assert.equal(res.status, 200);
    assertSchema('join-attempt-list.schema.json', res.json);
    assert.deepEqual(fake.calls.at(-1), ['joinAttempts.list', { token_name: 't1' }]);
    assert.equal((await call('GET', 'join-attempts?other=1')).status, 400);
  });

  test('transcripts: filters, paging and bounds', async () => {
    const res = await call('GET', 'transcripts?token=t1&after=3&limit=2');
    assert.equal(res.status, 200);
    assertSchema('transcript-list.schema.json', res.json);
    assert.deepEqual(fake.calls.at(-1), ['transcripts.list', { limit: 2, token: 't1', after: 3 }]);
    await call('GET', 'transcripts');
    assert.deepEqual(fake.calls.at(-1), ['transcripts.list', { limit: 100 }], 'at most 100 by default');
    for (const [query, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['after=-1', 'after'], ['after=x', 'after'], ['token=', 'token'], ['token_name=t1', 'token_name']]) {
      const bad = await call('GET', `transcripts?${query}`);
      assert.equal(bad.status, 400, query);
      assert.equal((bad.json as { error: { field?: string } }).error.field, field, query);
    }
  });

  test('without scripted mode the scripted routes answer 404 naming the flag, for every method', async () => {
    for (const [method, path] of [['GET', 'script'], ['PUT', 'script'], ['DELETE', 'script'], ['POST', 'script/release'], ['POST', 'restart'], ['GET', 'restart']]) {
      const res = await call(method as string, path as string, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      assert.equal(res.status, 404, `${method} ${path}`);
      assertSchema('error.schema.json', res.json);
      assert.match((res.json as { error: { message: string } }).error.message, /scripted mode is not enabled on this server \(start it with --scripted\)/);
    }
    assert.equal(fake.calls.length, 0);
  });

  test('join state minting and bound_keypair CA rotation', async () => {
    const minted = await call('POST', 'join-states', { body: { subject: 'robot', recovery_sequence: 2, bot_instance_id: 'i-1' } });
    assert.equal(minted.status, 200);
    assertSchema('join-state.schema.json', minted.json);
    assert.equal((await call('POST', 'join-states', { body: { subject: 'robot' } })).status, 400, 'recovery_sequence is required');
    assert.equal((await call('POST', 'join-states', { body: { subject: 'robot', recovery_sequence: 1, signer: 'other' } })).status, 400);
    assert.equal((await call('POST', 'join-states', { body: { subject: 'robot', recovery_sequence: 1, extra: 1 } })).status, 400);
    const rotated = await call('POST', 'cluster/bound-keypair-ca/rotation');
    assert.equal(rotated.status, 200);
    assertSchema('cluster.schema.json', rotated.json);
  });

  test('locks, bot instances, audit events', async () => {
    assertSchema('lock-list.schema.json', (await call('GET', 'locks')).json);
    const created = await call('POST', 'locks', { body: { kind: 'lock', version: 'v2', spec: { target: { join_token: 't1' }, message: 'stop' } } });
    assert.equal(created.status, 201);
    assertSchema('lock.schema.json', created.json);
    assert.equal(created.headers.get('location'), '/conformance/v1/locks/generated');
    assert.equal((await call('DELETE', 'locks/l1')).status, 204);
    assertSchema('bot-instance-list.schema.json', (await call('GET', 'bot-instances?bot_name=robot')).json);
    assertSchema('bot-instance.schema.json', (await call('GET', 'bot-instances/i1')).json);
    assertSchema('audit-event-list.schema.json', (await call('GET', 'audit-events?event=join_token.create&token_name=t&since_index=0')).json);
    assert.deepEqual(fake.calls.find((c) => c[0] === 'botInstances.list'), ['botInstances.list', 'robot']);
    assert.deepEqual(fake.calls.find((c) => c[0] === 'audit.list'), ['audit.list', { event: 'join_token.create', token_name: 't', since_index: 0 }]);
  });

  test('plane errors keep their kind, message and field', async () => {
    assertError(await call('GET', 'tokens/missing'), 404, 'NotFound', 'token "missing" not found');
    assertError(await call('POST', 'tokens', { body: { ...tokenJson(), spec: { ...tokenJson().spec, roles: [] } } }), 400, 'BadParameter', 'spec.roles: must be a non-empty array', 'spec.roles');
    assertError(await call('POST', 'locks', { body: { kind: 'lock', version: 'v2', spec: { target: {} } } }), 400, 'BadParameter', 'spec.target', 'spec.target');
  });

  test('unexpected plane failures are 500 without details', async () => {
    const r = await call('POST', 'tokens/explode/rotation-request');
    assertError(r, 500, 'Internal', 'internal error');
    assert.ok(!JSON.stringify(r.json).includes('secret internal detail'));
    assert.ok(logged.some((l) => l.includes('secret internal detail')));
  });
});

describe('request bodies', () => {
  test('a YAML token body is accepted', async () => {
    const yaml = 'kind: token\nversion: v2\nmetadata:\n  name: y1\nspec:\n  roles: [Bot]\n  bot_name: robot\n  join_method: bound_keypair\n  bound_keypair:\n    recovery:\n      limit: 3\n';
    for (const contentType of ['application/yaml', 'text/yaml']) {
      const r = await call('POST', 'tokens', { body: yaml, contentType });
      assert.equal(r.status, 201);
      assert.deepEqual((r.json as unknown as ProvisionToken).spec.bound_keypair?.recovery, { limit: 3, mode: '' });
    }
  });

  test('malformed JSON is a 400 naming the parse problem; the plane is not called', async () => {
    assertError(await call('POST', 'tokens', { body: '{"kind": "token",' }), 400, 'BadParameter', 'malformed JSON');
    assertError(await call('POST', 'locks', { body: '{oops}' }), 400, 'BadParameter', 'malformed JSON');
    assertError(await call('POST', 'clock/advance', { body: '' }), 400, 'BadParameter', 'request body required');
    assertError(await call('POST', 'tokens', { body: 'a: 1\n---\nb: 2\n', contentType: 'application/yaml' }), 400, 'BadParameter', 'exactly one YAML document');
    assertError(await call('POST', 'reset', { body: '[1]' }), 400, 'BadParameter', 'empty or a JSON object');
    assertError(await call('POST', 'reset', { body: { all: true } }), 400, 'BadParameter', 'unknown field', 'all');
    assert.deepEqual(fake.calls, []);
  });

  test('unsupported content types are 415', async () => {
    assertError(await call('POST', 'locks', { body: 'kind: lock', contentType: 'application/yaml' }), 415, 'BadParameter', 'application/json');
    assertError(await call('POST', 'tokens', { body: 'a=1', contentType: 'application/x-www-form-urlencoded' }), 415, 'BadParameter');
  });

  test('bodies over 1 MiB are 413', async () => {
    const big = JSON.stringify({ ...tokenJson(), pad: 'x'.repeat(MAX_BODY_BYTES) });
    assertError(await call('POST', 'tokens', { body: big }), 413, 'LimitExceeded', 'exceeds');
    assert.deepEqual(fake.calls, []);
    // The server still answers afterwards.
    assert.equal((await call('GET', 'health')).status, 200);
  });

  test('a chunked body without Content-Length is cut off at 1 MiB too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('tokens', api.url), { method: 'POST', headers: { authorization: `Bearer ${CREDENTIAL}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject); // a no-op once the answer arrived
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Keep writing until the server answers; it must not wait for the end.
      const pump = () => {
        while (!req.destroyed && req.write(chunk));
        if (!req.destroyed) req.once('drain', pump);
      };
      pump();
    });
    assert.equal(status, 413);
    assert.deepEqual(fake.calls, []);
  });

  test('PUT refuses a body whose metadata.name differs from the path', async () => {
    assertError(await call('PUT', 'tokens/a', { body: tokenJson('b') }), 400, 'BadParameter', 'must equal the token name in the path', 'metadata.name');
    const noMeta = { ...tokenJson(), metadata: undefined };
    assertError(await call('PUT', 'tokens/a', { body: noMeta }), 400, 'BadParameter', undefined, 'metadata.name');
    assert.deepEqual(fake.calls, []);
  });

  test('clock/advance takes duration_ms or a Go duration', async () => {
    assert.equal((await call('POST', 'clock/advance', { body: { duration_ms: 1500 } })).status, 200);
    const r = await call('POST', 'clock/advance', { body: { duration: '25h' } });
    assertSchema('clock.schema.json', r.json);
    await call('POST', 'clock/advance', { body: { duration: '1m30s' } });
    assert.deepEqual(fake.calls, [['clock.advance', 1500], ['clock.advance', 90_000_000], ['clock.advance', 90_000]]);
    fake.calls.length = 0;
    assertError(await call('POST', 'clock/advance', { body: { duration_ms: -1 } }), 400, 'BadParameter', undefined, 'duration_ms');
    assertError(await call('POST', 'clock/advance', { body: { duration_ms: 1.5 } }), 400, 'BadParameter', undefined, 'duration_ms');
    assertError(await call('POST', 'clock/advance', { body: { duration: '-5s' } }), 400, 'BadParameter', 'Go duration', 'duration');
    assertError(await call('POST', 'clock/advance', { body: { duration: '5' } }), 400, 'BadParameter', 'Go duration', 'duration');
    assertError(await call('POST', 'clock/advance', { body: { duration: '1ns' } }), 400, 'BadParameter', 'whole number of milliseconds');
    assertError(await call('POST', 'clock/advance', { body: { duration: '1s', duration_ms: 1 } }), 400, 'BadParameter', 'not both');
    assertError(await call('POST', 'clock/advance', { body: {} }), 400, 'BadParameter', 'is required');
    assertError(await call('POST', 'clock/advance', { body: { ms: 1 } }), 400, 'BadParameter', 'unknown field', 'ms');
    assert.deepEqual(fake.calls, []);
  });

  test('clock/set needs an RFC 3339 time', async () => {
    const r = await call('POST', 'clock/set', { body: { time: '2030-01-01T00:00:00Z' } });
    assert.equal(r.status, 200);
    assertSchema('clock.schema.json', r.json);
    assertError(await call('POST', 'clock/set', { body: { time: '2030-01-01' } }), 400, 'BadParameter', 'RFC 3339', 'time');
    assertError(await call('POST', 'clock/set', { body: { time: 0 } }), 400, 'BadParameter', undefined, 'time');
    assert.deepEqual(fake.calls, [['clock.set', '2030-01-01T00:00:00.000Z']]);
  });

  test('settings PATCH validates stream_timeout_ms and signature_algorithm_suite', async () => {
    const r = await call('PATCH', 'settings', { body: { stream_timeout_ms: 5000 } });
    assert.equal(r.status, 200);
    assertSchema('settings.schema.json', r.json);
    assertError(await call('PATCH', 'settings', { body: { stream_timeout_ms: 0 } }), 400, 'BadParameter', undefined, 'stream_timeout_ms');
    assertError(await call('PATCH', 'settings', { body: { stream_timeout_ms: '5s' } }), 400, 'BadParameter', undefined, 'stream_timeout_ms');
    assertError(await call('PATCH', 'settings', { body: { other: 1 } }), 400, 'BadParameter', 'unknown field', 'other');
    const suite = await call('PATCH', 'settings', { body: { signature_algorithm_suite: 'fips-v1' } });
    assert.equal(suite.status, 200);
    assertSchema('settings.schema.json', suite.json);
    assertError(await call('PATCH', 'settings', { body: { signature_algorithm_suite: 'fips-v2' } }), 400, 'BadParameter', undefined, 'signature_algorithm_suite');
    assert.deepEqual(fake.calls, [['settings.update', { stream_timeout_ms: 5000 }], ['settings.update', { signature_algorithm_suite: 'fips-v1' }]], 'refused requests never reach the plane');
  });

  test('reset answers 204', async () => {
    const r = await call('POST', 'reset');
    assert.equal(r.status, 204);
    assert.deepEqual(fake.calls, [['reset']]);
  });
});

test('the request log carries no bodies or queries', () => {
  assert.ok(logged.some((l) => /^POST \/conformance\/v1\/tokens 201 \d+ms$/.test(l)));
  assert.ok(!logged.some((l) => l.includes('robot') || l.includes('since_index')));
});
