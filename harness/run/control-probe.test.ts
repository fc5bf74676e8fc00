// Pre-flight's control API client against a misbehaving implementation,
// played by nock (which intercepts fetch): every surprise is a configuration
// error naming the URL, and for a broken body the field.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import nock from 'nock';
import { ControlProbe } from './control-probe.js';
import { CAPABILITIES, CLUSTER, configurationProblem } from './test-fixtures.js';

const BASE = 'http://iut.invalid:3080';
const API = `${BASE}/conformance/v1/`;

before(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
after(() => nock.enableNetConnect());

/** A conformant implementation, with one route replaced by `override`. */
function iut(override: { route: string; reply: (scope: nock.Interceptor) => nock.Scope }): void {
  const routes: Record<string, unknown> = { health: { status: 'ok' }, capabilities: CAPABILITIES, cluster: CLUSTER };
  for (const [route, body] of Object.entries(routes)) {
    const interceptor = nock(BASE).get(`/conformance/v1/${route}`);
    if (route === override.route) override.reply(interceptor);
    else interceptor.reply(200, body as nock.Body);
  }
}

function problem(probe: Promise<unknown>): Promise<string> {
  return configurationProblem(probe, 'the probe succeeded');
}

test('a conformant implementation: capabilities, cluster, and the features scenarios gate on', async () => {
  nock(BASE).get('/conformance/v1/health').reply(200, { status: 'ok' });
  nock(BASE).get('/conformance/v1/capabilities').matchHeader('authorization', 'Bearer s3cret').reply(200, CAPABILITIES);
  nock(BASE).get('/conformance/v1/cluster').matchHeader('authorization', 'Bearer s3cret').reply(200, CLUSTER);
  const result = await new ControlProbe(API, 's3cret').probe();
  assert.equal(result.cluster.cluster_name, 'fake.test');
  assert.deepEqual([...result.features].sort(), ['audit-events', 'clock-control', 'role-Bot']);
});

test('500 on health names the URL, the status and the error body', async () => {
  iut({ route: 'health', reply: (i) => i.reply(500, { error: { kind: 'Internal', message: 'internal error' } }) });
  assert.equal(await problem(new ControlProbe(API, 'x').probe()), `configuration error: ${API}health: answered 500 (Internal: internal error)`);
});

test('401 says the credential was refused and where it comes from', async () => {
  iut({ route: 'capabilities', reply: (i) => i.reply(401, { error: { kind: 'Unauthenticated', message: 'missing or wrong bearer credential' } }) });
  assert.match(await problem(new ControlProbe(API, 'wrong').probe()), new RegExp(`^configuration error: ${API}capabilities: 401: the control API refused the credential .*credential_env or credential_file$`));
});

test('a wrong protocol version or control API version is named', async () => {
  iut({ route: 'capabilities', reply: (i) => i.reply(200, { ...CAPABILITIES, protocol_version: 'teleport.join.v2' }) });
  assert.equal(await problem(new ControlProbe(API, 'x').probe()), `configuration error: ${API}capabilities: protocol_version is "teleport.join.v2"; this suite tests teleport.join.v1`);
  nock.cleanAll();
  iut({ route: 'capabilities', reply: (i) => i.reply(200, { ...CAPABILITIES, control_api_version: 'conformance/v2' }) });
  assert.match(await problem(new ControlProbe(API, 'x').probe()), /capabilities: control_api_version is "conformance\/v2"; this suite speaks conformance\/v1/);
});

test('malformed capabilities: the field that breaks the contract is named', async () => {
  iut({ route: 'capabilities', reply: (i) => i.reply(200, { ...CAPABILITIES, features: ['audit-events', 7] }) });
  assert.match(await problem(new ControlProbe(API, 'x').probe()), /capabilities: the answer breaks docs\/contract\/control-api\/capabilities\.schema\.json at capabilities\.features\[1\]: features\[1\] must be string/);
  nock.cleanAll();
  iut({ route: 'capabilities', reply: (i) => i.reply(200, { ...CAPABILITIES, join_methods: ['token'] }) });
  assert.match(await problem(new ControlProbe(API, 'x').probe()), /capabilities: join_methods does not include bound_keypair/);
  nock.cleanAll();
  iut({ route: 'capabilities', reply: (i) => i.reply(200, '{"control_api_version": ', { 'content-type': 'application/json' }) });
  assert.match(await problem(new ControlProbe(API, 'x').probe()), /capabilities: answered 200 with a body that is not JSON: \{"control_api_version": $/);
});

test('a malformed cluster answer is named too', async () => {
  const { join_address: _omitted, ...withoutJoin } = CLUSTER;
  iut({ route: 'cluster', reply: (i) => i.reply(200, withoutJoin) });
  assert.match(await problem(new ControlProbe(API, 'x').probe()), /cluster: the answer breaks .*cluster\.schema\.json at cluster: .*must have required property 'join_address'/);
});

test('a slow answer times out with a message naming the URL', async () => {
  iut({ route: 'capabilities', reply: (i) => i.delay(1_000).reply(200, CAPABILITIES) });
  const started = Date.now();
  assert.equal(await problem(new ControlProbe(API, 'x', 100).probe()), `configuration error: ${API}capabilities: no answer within 100 ms`);
  assert.ok(Date.now() - started < 900, 'the probe waited for the slow answer instead of timing out');
});

test('a refused connection is named as such', async () => {
  nock.enableNetConnect('127.0.0.1');
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const url = `http://127.0.0.1:${port}/conformance/v1/`;
  assert.equal(await problem(new ControlProbe(url, 'x').probe()), `configuration error: ${url}health: connection refused: nothing listens there`);
  nock.disableNetConnect();
});

test('an implementation that reports a mutant is refused, naming the mutant (docs/mutants.md)', async () => {
  iut({ route: 'capabilities', reply: (i) => i.reply(200, { ...CAPABILITIES, mutant: 'server-nonce-not-compared' }) });
  assert.match(await problem(new ControlProbe(API, 'x').probe()),
    new RegExp(`^configuration error: ${API}capabilities: the target runs mutant "server-nonce-not-compared", a deliberately broken variant`));
});
