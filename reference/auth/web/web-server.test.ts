// The web listener over real HTTPS, trusted through the cluster's host CA
// exactly as a bot would (GET cluster hands out the CA and web_address).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startAuthServer } from '../auth-server.js';
import type { RunningAuthServer } from '../auth-server.js';
import { control } from '../testing/control.js';
import { createCertificateAuthority } from '../../crypto/index.js';

let server: RunningAuthServer;
before(async () => {
  server = await startAuthServer({ clusterName: 'web.test', suite: 'balanced-v1' });
});
after(() => server.close());

interface PingResponse {
  auth: { type: string; signature_algorithm_suite: string; private_key_policy: string };
  proxy: { ssh: { web_listen_addr: string }; tls_routing_enabled: unknown };
  server_version: string;
  min_client_version: unknown;
  cluster_name: string;
  edition: string;
  fips: boolean;
  automatic_upgrades: boolean;
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

function get(path: string, o: { method?: string; ca?: string; body?: string } = {}): Promise<Answer> {
  const [host, port] = [server.webAddress.slice(0, server.webAddress.lastIndexOf(':')), Number(server.webAddress.split(':').pop())];
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host, port, path, method: o.method ?? 'GET', ca: o.ca ?? server.authorities.hostCa.certificatePem, timeout: 5_000, agent: false, headers: o.body ? { 'content-length': Buffer.byteLength(o.body) } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(o.body);
  });
}

test('GET /webapi/find answers a Teleport PingResponse over HTTPS trusted by the host CA', async () => {
  const res = await get('/webapi/find');
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const ping = JSON.parse(res.text) as PingResponse;
  assert.equal(ping.auth.type, 'local');
  assert.equal(ping.auth.signature_algorithm_suite, 'balanced-v1');
  assert.equal(ping.auth.private_key_policy, 'none');
  assert.equal(ping.cluster_name, 'web.test');
  assert.equal(ping.edition, 'oss');
  assert.equal(ping.fips, false);
  assert.equal(ping.automatic_upgrades, false);
  assert.match(ping.server_version, /^\d+\.\d+\.\d+$/);
  assert.equal(typeof ping.min_client_version, 'string');
  assert.equal(ping.proxy.ssh.web_listen_addr, server.webAddress);
  assert.equal(typeof ping.proxy.tls_routing_enabled, 'boolean');
  const cluster = await control(server, 'GET', 'cluster');
  assert.equal(cluster.body?.web_address, server.webAddress, 'GET cluster names the web listener');
});

test('the suite in /webapi/find is the one in force now', async () => {
  assert.equal((await control(server, 'PATCH', 'settings', { signature_algorithm_suite: 'fips-v1' })).status, 200);
  try {
    const ping = JSON.parse((await get('/webapi/find?ignored=1')).text) as { auth: { signature_algorithm_suite: string } };
    assert.equal(ping.auth.signature_algorithm_suite, 'fips-v1');
  } finally {
    await control(server, 'POST', 'reset');
  }
  const ping = JSON.parse((await get('/webapi/find')).text) as { auth: { signature_algorithm_suite: string } };
  assert.equal(ping.auth.signature_algorithm_suite, 'balanced-v1', 'reset restores the start-up suite');
});

test('any other path is 404 and any other method 405, with Teleport\'s error body', async () => {
  for (const path of ['/', '/webapi/ping', '/webapi/find/', '/webapi/findx', '/conformance/v1/health']) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.deepEqual(JSON.parse(res.text), { error: { message: 'not found' } }, path);
  }
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const res = await get('/webapi/find', { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.allow, 'GET, HEAD');
    const body = JSON.parse(res.text) as { error: { message: string } };
    assert.deepEqual(Object.keys(body), ['error']);
    assert.match(body.error.message, new RegExp(`method ${method} is not allowed`));
  }
  const head = await get('/webapi/find', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

test('a request body is never read: the answer comes and the connection closes', async () => {
  const res = await get('/webapi/find', { method: 'POST', body: 'x'.repeat(100_000) });
  assert.equal(res.status, 405);
  assert.equal(res.headers.connection, 'close');
});

test('a client trusting another CA refuses the listener', async () => {
  const other = await createCertificateAuthority({ commonName: 'someone else', clusterName: 'other', algorithm: 'ecdsa-p256', now: new Date() });
  await assert.rejects(get('/webapi/find', { ca: other.certificatePem }), /self-signed|unable to verify|certificate/i);
});

test('a server started without scripted mode offers transcripts but no scripting', async () => {
  const caps = (await control(server, 'GET', 'capabilities')).body as { features: string[] };
  assert.ok(caps.features.includes('transcripts'));
  assert.ok(!caps.features.includes('scripting'));
  const script = await control(server, 'GET', 'script');
  assert.equal(script.status, 404);
  assert.equal((script.body as { error: { message: string } }).error.message, 'scripted mode is not enabled on this server (start it with --scripted)');
  assert.equal((await control(server, 'POST', 'restart', {})).status, 404);
});
