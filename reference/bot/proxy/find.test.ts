// The find client against nock-intercepted HTTPS, plus one real refused connection.
import { test, after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import nock from 'nock';
import { findProxy, findUrl, ProxyFindError } from './find.js';
import { parseSuiteValue } from './find-response.js';

const ADDRESS = 'proxy.example.test:3080';
const ORIGIN = 'https://proxy.example.test:3080';

before(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
after(() => nock.enableNetConnect());

async function rejection(promise: Promise<unknown>): Promise<ProxyFindError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProxyFindError, `expected a ProxyFindError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the find call to fail');
}

test('a suite name is read from auth.signature_algorithm_suite', async () => {
  nock(ORIGIN).get('/webapi/find').reply(200, { auth: { signature_algorithm_suite: 'fips-v1' }, proxy: {} });
  assert.deepEqual(await findProxy(ADDRESS), { signatureAlgorithmSuite: 'fips-v1' });
});

test('a suite number (Teleport encodes the enum as a number) is read', async () => {
  nock(ORIGIN).get('/webapi/find').reply(200, { auth: { signature_algorithm_suite: 2 } });
  assert.deepEqual(await findProxy(ADDRESS), { signatureAlgorithmSuite: 'balanced-v1' });
});

test('an absent suite means legacy', async () => {
  nock(ORIGIN).get('/webapi/find').reply(200, { auth: {} });
  assert.deepEqual(await findProxy(ADDRESS), { signatureAlgorithmSuite: 'legacy' });
});

test('every enum number and name maps as Teleport defines it', () => {
  assert.deepEqual([0, 1, 2, 3, 4].map(parseSuiteValue), ['legacy', 'legacy', 'balanced-v1', 'fips-v1', 'hsm-v1']);
  assert.deepEqual(['', 'legacy', 'balanced-v1', 'fips-v1', 'hsm-v1'].map(parseSuiteValue), ['legacy', 'legacy', 'balanced-v1', 'fips-v1', 'hsm-v1']);
  assert.throws(() => parseSuiteValue(5), /unknown suite number 5/);
  assert.throws(() => parseSuiteValue('balanced-v2'), /unknown suite "balanced-v2"/);
});

test('a 500 with Teleport\'s error body names the status and the server\'s message', async () => {
  nock(ORIGIN).get('/webapi/find').reply(500, { error: { message: 'failed to connect to auth server' } });
  const err = await rejection(findProxy(ADDRESS));
  assert.equal(err.status, 500);
  assert.match(err.message, /proxy proxy\.example\.test:3080 .*answered HTTP 500: failed to connect to auth server/);
});

test('a 404 names the status', async () => {
  nock(ORIGIN).get('/webapi/find').reply(404, 'not found');
  const err = await rejection(findProxy(ADDRESS));
  assert.equal(err.status, 404);
  assert.match(err.message, /answered HTTP 404: "not found"/);
});

test('malformed JSON is refused', async () => {
  nock(ORIGIN).get('/webapi/find').reply(200, '{"auth": {', { 'content-type': 'application/json' });
  const err = await rejection(findProxy(ADDRESS));
  assert.match(err.message, /proxy\.example\.test:3080.*did not answer JSON/);
});

test('a field of the wrong type is refused, naming the field', async () => {
  nock(ORIGIN).get('/webapi/find').reply(200, { auth: { signature_algorithm_suite: true } });
  const err = await rejection(findProxy(ADDRESS));
  assert.match(err.message, /invalid answer: field "auth.signature_algorithm_suite" must be a suite name or number, got a boolean/);
});

test('a missing auth object is refused', async () => {
  nock(ORIGIN).get('/webapi/find').reply(200, { proxy: {} });
  const err = await rejection(findProxy(ADDRESS));
  assert.match(err.message, /missing field "auth"/);
});

test('a slow answer hits the timeout', async () => {
  nock(ORIGIN).get('/webapi/find').delay(2_000).reply(200, { auth: {} });
  const started = Date.now();
  const err = await rejection(findProxy(ADDRESS, { timeoutMs: 150 }));
  assert.match(err.message, /did not answer within 150 ms/);
  assert.ok(Date.now() - started < 1_500, 'the deadline must cut the wait short');
});

test('an oversized body is cut off', async () => {
  nock(ORIGIN).get('/webapi/find').reply(200, JSON.stringify({ auth: {}, pad: 'x'.repeat(5000) }));
  const err = await rejection(findProxy(ADDRESS, { maxBodyBytes: 1000 }));
  assert.match(err.message, /more than the 1000-byte limit/);
});

test('a refused connection names the address', async () => {
  nock.enableNetConnect('127.0.0.1');
  const port = await closedPort();
  const err = await rejection(findProxy(`127.0.0.1:${port}`, { timeoutMs: 5_000 }));
  assert.match(err.message, new RegExp(`proxy 127\\.0\\.0\\.1:${port} .*could not be reached: ECONNREFUSED`));
  nock.disableNetConnect();
});

test('addresses must be host:port', () => {
  assert.equal(findUrl('[::1]:3080'), 'https://[::1]:3080/webapi/find');
  assert.throws(() => findUrl('proxy.example.test'), /expected host:port/);
  assert.throws(() => findUrl('https://proxy.example.test:443'), /expected host:port/);
  assert.throws(() => findUrl('proxy:70000'), /expected host:port/);
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
