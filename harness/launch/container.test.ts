// The container launcher: the engine probe against real sockets that
// misbehave, the pieces a launch is made of, and — where an engine and the
// reference image are present (CI builds them) — a real container: ready,
// its advertised addresses, labels, a restart that keeps its data, removal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { containersWithLabels, demultiplex, imageExists, probeEngine } from './docker-engine.js';
import { freeLoopbackPorts, renderContainerEnv } from './container-support.js';
import { launchContainerServer } from './container.js';
import type { ContainerTarget } from './container.js';
import { loadTarget } from '../target/load-target.js';
import { ConfigurationError } from '../target/errors.js';

/** This test's own label value, so that a concurrent run's containers are never counted. */
const RUN_ID = `unit-${process.pid}`;
const CONTAINER_TARGET = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../targets/reference-server.container.yaml');

/** A fake engine on a unix socket, answering every request with `answer` (or never). */
async function fakeEngine(answer: ((res: http.ServerResponse) => void) | 'never'): Promise<{ env: NodeJS.ProcessEnv; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bkp-fake-engine-'));
  const socketPath = path.join(dir, 'docker.sock');
  const server = http.createServer((_req, res) => {
    if (answer !== 'never') answer(res);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    env: { DOCKER_HOST: `unix://${socketPath}` },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('probe: no engine where DOCKER_HOST points is a reason naming the path, not an exception', async () => {
  const status = await probeEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  assert.equal(status.ok, false);
  assert.match(status.ok ? '' : status.reason, /DOCKER_HOST names \/nonexistent\/docker\.sock, which does not exist/);
});

test('probe: a malformed DOCKER_HOST and a TLS engine are reasons', async () => {
  const bad = await probeEngine({ DOCKER_HOST: 'ssh://somewhere' });
  assert.match(bad.ok ? '' : bad.reason, /DOCKER_HOST=ssh:\/\/somewhere is neither/);
  const tls = await probeEngine({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1' });
  assert.match(tls.ok ? '' : tls.reason, /DOCKER_TLS_VERIFY/);
});

test('probe: an engine answering /_ping with 500 is unavailable, with the status', async () => {
  const engine = await fakeEngine((res) => {
    res.statusCode = 500;
    res.end('boom');
  });
  try {
    const status = await probeEngine(engine.env);
    assert.equal(status.ok, false);
    assert.match(status.ok ? '' : status.reason, /answered \/_ping with HTTP 500/);
  } finally {
    await engine.close();
  }
});

test('probe: an engine that never answers is given up after the timeout, naming the endpoint', async () => {
  const engine = await fakeEngine('never');
  try {
    const started = Date.now();
    const status = await probeEngine(engine.env, 300);
    assert.equal(status.ok, false);
    assert.match(status.ok ? '' : status.reason, /did not answer GET \/_ping within 300 ms/);
    assert.match(status.ok ? '' : status.reason, /unix:\/\//);
    assert.ok(Date.now() - started < 3_000, 'the probe waited far longer than its timeout');
  } finally {
    await engine.close();
  }
});

test('probe: a healthy engine reports its version', async () => {
  const engine = await fakeEngine((res) => res.end(res.req.url === '/_ping' ? 'OK' : JSON.stringify({ Version: '99.1' })));
  try {
    assert.deepEqual(await probeEngine(engine.env), { ok: true, version: '99.1', endpoint: engine.env.DOCKER_HOST });
  } finally {
    await engine.close();
  }
});

test('container logs: frames are unwrapped; unframed text is kept as it is', () => {
  const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0]), Buffer.from([0, 0, 0, Buffer.byteLength(text)]), Buffer.from(text)]);
  assert.equal(demultiplex(Buffer.concat([frame(1, 'out\n'), frame(2, 'err ✓\n')])), 'out\nerr ✓\n');
  assert.equal(demultiplex(Buffer.from('plain text log\n')), 'plain text log\n');
});

test('environment templates: {credential}, {join_addr}, {web_addr}, escapes; unknown names and a missing web port are errors naming the variable', () => {
  const values = { credential: 'c-1', join_addr: '127.0.0.1:1', web_addr: '127.0.0.1:2' };
  const rendered = renderContainerEnv({ A: '{credential}', B: 'join={join_addr} web={web_addr}', C: '{{credential}} {"x":1}' }, values);
  assert.deepEqual(rendered, { values: { A: 'c-1', B: 'join=127.0.0.1:1 web=127.0.0.1:2', C: '{credential} {"x":1}' }, usesCredential: true });
  assert.equal(renderContainerEnv({ A: 'fixed' }, values).usesCredential, false);
  assert.throws(() => renderContainerEnv({ X: '{join_adr}' }, values), (e: Error) => e instanceof ConfigurationError && /launch\.env\.X: unknown placeholder \{join_adr\}/.test(e.message));
  assert.throws(() => renderContainerEnv({ W: '{web_addr}' }, { ...values, web_addr: undefined }), /launch\.env\.W: uses \{web_addr\}, but launch\.ports\.web is not set/);
});

test('free loopback ports are distinct and bindable', async () => {
  const ports = await freeLoopbackPorts(3);
  assert.equal(new Set(ports).size, 3);
  for (const port of ports) {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** The reference server's container target, or why it cannot run here (no engine, no image). */
async function containerTarget(): Promise<{ target: ContainerTarget } | { skip: string }> {
  const engine = await probeEngine();
  if (!engine.ok) return { skip: `no container engine: ${engine.reason}` };
  const target = loadTarget(CONTAINER_TARGET);
  if (target.role !== 'server' || target.launch.mode !== 'container') throw new Error(`${CONTAINER_TARGET} is not a server container target`);
  if (!(await imageExists(target.launch.image ?? ''))) return { skip: `image ${target.launch.image} not built (docker/build-images.sh)` };
  return { target: { ...target, launch: target.launch } };
}

test('an image that is not on the engine is a configuration error naming launch.image', async (t) => {
  const found = await containerTarget();
  if ('skip' in found) return t.skip(found.skip);
  const missing = { ...found.target, launch: { ...found.target.launch, image: 'bkp-no-such-image:never-built' } };
  await assert.rejects(launchContainerServer(missing), (e: Error) => e instanceof ConfigurationError && /launch\.image: image bkp-no-such-image:never-built is not on the container engine/.test(e.message));
});

test('the reference server in a container: ready, advertised addresses, labels, restart keeps data and ports, close removes it', { timeout: 240_000 }, async (t) => {
  const found = await containerTarget();
  if ('skip' in found) return t.skip(found.skip);
  const t0 = Date.now();
  const server = await launchContainerServer(found.target, { runId: RUN_ID, log: (line) => t.diagnostic(line) });
  t.diagnostic(`launch (probe, ports, create, start, ready): ${Date.now() - t0} ms`);
  const control = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(new URL(route, server.controlUrl), {
      method,
      headers: { authorization: `Bearer ${server.controlCredential}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  try {
    assert.match(server.controlUrl, /^http:\/\/127\.0\.0\.1:\d+\/conformance\/v1\/$/);
    const cluster = (await control('GET', 'cluster')).body;
    // The server listens on 0.0.0.0 inside; it must report the published host addresses.
    assert.equal(cluster.join_address, server.joinAddress);
    assert.equal(cluster.web_address, server.webAddress);
    assert.match(server.joinAddress, /^127\.0\.0\.1:\d+$/);
    const labelled = await containersWithLabels({ 'bkp.conformance': '1', 'bkp.run': RUN_ID });
    assert.deepEqual(labelled.map((c) => c.Id), [server.containerId]);

    const token = { kind: 'token', version: 'v2', metadata: { name: 'kept-token' }, spec: { roles: ['Bot'], join_method: 'bound_keypair', bot_name: 'kept', bound_keypair: { recovery: { mode: 'insecure' } } } };
    assert.equal((await control('POST', 'tokens', token)).status, 201);
    for (const kill of [false, true]) {
      const t1 = Date.now();
      await server.restart({ kill });
      t.diagnostic(`restart${kill ? ' (SIGKILL)' : ''} to ready: ${Date.now() - t1} ms`);
      assert.equal((await control('GET', 'tokens/kept-token')).status, 200, 'the token did not survive the restart');
      const again = (await control('GET', 'cluster')).body;
      assert.deepEqual([again.join_address, again.host_ca_certificates], [cluster.join_address, cluster.host_ca_certificates]);
    }
  } finally {
    const t2 = Date.now();
    await server.close();
    t.diagnostic(`stop + remove: ${Date.now() - t2} ms`);
  }
  assert.deepEqual(await containersWithLabels({ 'bkp.run': RUN_ID }), [], 'the container is still there after close()');
  await server.close(); // harmless twice
});
