// The process launcher with the real reference server as the command: the
// ready line, an HTTP readiness probe, each way of learning the credential,
// and no child left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import path from 'node:path';
import { loadTarget, parseTarget } from '../target/load-target.js';
import type { ProcessLaunch, ServerTarget } from '../target/model.js';
import { PROJECT_ROOT } from '../target/schema.js';
import { launchProcessTarget } from './process-target.js';

const file = path.join(PROJECT_ROOT, 'targets/test-only.yaml');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processTarget(target: ReturnType<typeof loadTarget>): { target: ServerTarget; launch: ProcessLaunch } {
  assert.ok(target.role === 'server' && target.launch.mode === 'process');
  return { target, launch: target.launch };
}

async function status(url: string, credential: string): Promise<number> {
  const res = await fetch(new URL('cluster', url), { headers: { authorization: `Bearer ${credential}` } });
  await res.body?.cancel();
  return res.status;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

test('the shipped process target: free ports, a fresh credential per instance, stopped on close', async () => {
  const { target, launch } = processTarget(loadTarget(path.join(PROJECT_ROOT, 'targets/reference-server.process.yaml')));
  const [a, b] = await Promise.all([launchProcessTarget(target, launch), launchProcessTarget(target, launch)]);
  try {
    assert.match(a.controlUrl, /^http:\/\/127\.0\.0\.1:\d+\/conformance\/v1\/$/);
    assert.notEqual(a.controlUrl, b.controlUrl);
    assert.notEqual(a.controlCredential, b.controlCredential);
    assert.equal(await status(a.controlUrl, a.controlCredential), 200);
    assert.equal(await status(a.controlUrl, b.controlCredential), 401);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  assert.ok(!alive(a.pid) && !alive(b.pid), 'a server process is still running after close()');
});

test('an HTTP readiness probe with a fixed control API address', async () => {
  const port = await freePort();
  const text = `version: 1\nrole: server\nname: h\nlaunch:\n  mode: process\n  command: [node, bin/bkp.js, auth, serve, --join-addr, 127.0.0.1:0, --web-addr, 127.0.0.1:0, --control-addr, "127.0.0.1:${port}"]\n  working_directory: ..\n  env: { BKP_CONTROL_CREDENTIAL: "{credential}" }\n  ready: { http: "http://127.0.0.1:${port}/conformance/v1/health" }\ncontrol_api: { url: "http://127.0.0.1:${port}" }\n`;
  const { target, launch } = processTarget(parseTarget(text, file));
  const server = await launchProcessTarget(target, launch);
  try {
    assert.equal(server.controlUrl, `http://127.0.0.1:${port}/conformance/v1/`);
    assert.equal(await status(server.controlUrl, server.controlCredential), 200);
  } finally {
    await server.close();
  }
});

test('without {credential}: the credential the ready line prints', async () => {
  const text = `version: 1\nrole: server\nname: c\nlaunch:\n  mode: process\n  command: [node, bin/bkp.js, auth, serve, --join-addr, 127.0.0.1:0, --web-addr, 127.0.0.1:0, --control-addr, 127.0.0.1:0]\n  working_directory: ..\n  ready: { stdout_json_event: ready }\n`;
  const { target, launch } = processTarget(parseTarget(text, file));
  const server = await launchProcessTarget(target, launch);
  try {
    assert.ok(server.controlCredential.length > 10);
    assert.equal(await status(server.controlUrl, server.controlCredential), 200);
  } finally {
    await server.close();
  }
});

test('a ready line without control_url and no control_api.url is a configuration error', async () => {
  const text = `version: 1\nrole: server\nname: n\nlaunch:\n  mode: process\n  command: [node, -e, "console.log(JSON.stringify({event: 'up'})); setInterval(() => {}, 1000)"]\n  env: { C: "{credential}" }\n  ready: { stdout_json_event: up }\n`;
  const { target, launch } = processTarget(parseTarget(text, file));
  await assert.rejects(launchProcessTarget(target, launch), /the ready line has no control_url and control_api\.url is not set: \{"event":"up"\}/);
});
