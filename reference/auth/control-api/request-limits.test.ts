// The control API's limits: a body over MAX_BODY_BYTES gets 413, and a
// client address with too many requests in progress gets 429 with
// Retry-After, while a client on another address is served. Requests are
// kept in progress by sending their headers and only part of their body.
// The busy client connects from 127.0.0.2, which Linux routes to loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { startAuthServer } from '../auth-server.js';
import type { RunningAuthServer } from '../auth-server.js';
import { control } from '../testing/control.js';
import { MAX_BODY_BYTES } from './http-server.js';

const CAP = 3;
const BUSY = '127.0.0.2';
let server: RunningAuthServer;

before(async () => {
  server = await startAuthServer({ maxControlRequestsPerAddress: CAP });
});
after(() => server.close());

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: { error?: { kind?: string; message?: string; field?: string } } & Record<string, unknown>;
}

/** A request from `localAddress` whose body is `sent` now and may be finished later. */
function open(localAddress: string, method: string, route: string, declared: number, sent = ''): { req: ClientRequest; answer: Promise<Answer> } {
  const url = new URL(route, server.controlUrl);
  const req = request({
    host: url.hostname, port: url.port, path: url.pathname, method, localAddress, agent: false,
    headers: { authorization: `Bearer ${server.controlCredential}`, 'content-type': 'application/json', 'content-length': declared },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Answer['body']) : {} }));
    });
  });
  answer.catch(() => {});
  if (sent) req.write(sent);
  req.flushHeaders();
  return { req, answer };
}

const send = (localAddress: string, method: string, route: string, body = '') => {
  const r = open(localAddress, method, route, Buffer.byteLength(body), body);
  r.req.end();
  return r.answer;
};

async function eventuallyServed(localAddress: string): Promise<Answer> {
  const deadline = Date.now() + 5_000;
  while (true) {
    const a = await send(localAddress, 'GET', 'capabilities');
    if (a.status !== 429 || Date.now() > deadline) return a;
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('past the cap a request gets 429 with Retry-After and a JSON error naming the limit; another address is served', async () => {
  const held = Array.from({ length: CAP }, () => open(BUSY, 'POST', 'tokens', 100, '{"kind":'));
  // Served until the server holds all of them (each got as far as reading its body).
  let refused = await send(BUSY, 'GET', 'capabilities');
  for (const deadline = Date.now() + 5_000; refused.status === 200 && Date.now() < deadline; ) refused = await send(BUSY, 'GET', 'capabilities');
  assert.equal(refused.status, 429);
  assert.equal(refused.headers['retry-after'], '1');
  assert.match(String(refused.headers['content-type']), /^application\/json/);
  assert.equal(refused.body.error?.kind, 'LimitExceeded');
  assert.equal(refused.body.error?.message, `too many connections from ${BUSY}: ${CAP}, max is ${CAP} (control API requests in progress per client address)`);

  const other = await send('127.0.0.1', 'GET', 'capabilities');
  assert.equal(other.status, 200);
  assert.equal((other.body.limits as Record<string, number>).max_control_requests_per_address, CAP);
  const created = await control(server, 'POST', 'tokens', {
    kind: 'token', version: 'v2', metadata: { name: 'served' },
    spec: { roles: ['Bot'], bot_name: 'b', join_method: 'bound_keypair', bound_keypair: { onboarding: { registration_secret: 's' } } },
  });
  assert.equal(created.status, 201);

  // One finishes (with a body that is not JSON: 400), one is abandoned: both free their slot.
  held[0]?.req.end('x'.repeat(92));
  const finished = await held[0]?.answer;
  assert.equal(finished?.status, 400);
  held[1]?.req.destroy();
  const served = await eventuallyServed(BUSY);
  assert.equal(served.status, 200, 'a slot came back');
  held[2]?.req.destroy();
});

test('a body over the size limit gets 413, and frees its slot', async () => {
  const big = await send(BUSY, 'POST', 'tokens', 'x'.repeat(MAX_BODY_BYTES + 1));
  assert.equal(big.status, 413);
  assert.equal(big.body.error?.kind, 'LimitExceeded');
  assert.match(big.body.error?.message ?? '', /request body exceeds 1048576 bytes/);
  for (let i = 0; i < CAP + 1; i++) assert.equal((await eventuallyServed(BUSY)).status, 200);
});
