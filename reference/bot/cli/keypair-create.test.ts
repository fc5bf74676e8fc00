// `keypair create` end to end in-process: real storage in a temp directory,
// the proxy's /webapi/find answered by nock.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { keyAlgorithmOf, parseAuthorizedKey, parsePrivateKeyPem, publicKeysEqual } from '../../crypto/index.js';
import { memoryLog } from '../log.js';
import { systemClock } from '../clock.js';
import { exitCodeFor } from '../lifecycle/exit-codes.js';
import { ConfigError } from '../config/config-error.js';
import { EXISTING_STATE_PRINTED, KEYPAIR_WRITTEN, OVERWRITING_STATE, STORAGE_REQUIRED, runKeypairCreate } from './keypair-create.js';
import type { KeypairCreateOptions } from './keypair-create.js';
import { STATIC_KEY_REUSED, STATIC_KEY_WRITTEN } from './keypair-create-static.js';

const PROXY = 'proxy.example.test:443';
let dir = '';
before(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), 'bkp-keypair-'));
});
afterEach(() => nock.cleanAll());
after(() => {
  nock.enableNetConnect();
  rmSync(dir, { recursive: true, force: true });
});

function proxySuite(suite: string | number, times = 1) {
  return nock(`https://${PROXY}`).get('/webapi/find').times(times).reply(200, { auth: { signature_algorithm_suite: suite } });
}

async function create(options: Partial<KeypairCreateOptions>) {
  const log = memoryLog();
  let stdout = '';
  await runKeypairCreate({ proxyServer: PROXY, format: 'text', ...options }, { log, clock: systemClock, stdout: (t) => { stdout += t; } });
  return { stdout, log };
}

test('a new keypair is written to storage (balanced-v1 → Ed25519) and printed', async () => {
  const storage = join(dir, 'bot1');
  const scope = proxySuite('balanced-v1');
  const { stdout, log } = await create({ storage });
  assert.ok(scope.isDone());
  for (const item of ['id_bkp', 'id_bkp.pub', 'bkp_key_history.json']) assert.ok(existsSync(join(storage, item)), item);
  assert.ok(!existsSync(join(storage, 'bkp_state')), 'no join state before the first join');
  const pub = readFileSync(join(storage, 'id_bkp.pub'), 'utf8').trim();
  assert.equal(keyAlgorithmOf(parseAuthorizedKey(pub)), 'ed25519');
  assert.ok(stdout.includes(`field:\n\n\t${pub}\n`));
  assert.ok(log.lines.some((l) => l.startsWith(`INFO ${KEYPAIR_WRITTEN} storage=`)));
});

test('an existing keypair is printed again without asking the proxy; --overwrite replaces it', async () => {
  const storage = join(dir, 'bot2');
  proxySuite(4);
  await create({ storage, format: 'json' });
  const before = readFileSync(join(storage, 'id_bkp.pub'), 'utf8').trim();
  // No interceptor now: a proxy request would fail the command.
  const again = await create({ storage, format: 'json' });
  assert.deepEqual(JSON.parse(again.stdout), { public_key: before });
  assert.ok(again.log.lines.includes(`INFO ${EXISTING_STATE_PRINTED}`));
  proxySuite('fips-v1');
  const replaced = await create({ storage, format: 'json', overwrite: true });
  const after = JSON.parse(replaced.stdout).public_key as string;
  assert.notEqual(after, before);
  assert.equal(keyAlgorithmOf(parseAuthorizedKey(after)), 'ecdsa-p256', 'fips-v1 → ECDSA P-256');
  assert.ok(replaced.log.lines.includes(`WARN ${OVERWRITING_STATE}`));
});

test('a storage path is required unless --static', async () => {
  await assert.rejects(create({}), (err: Error) => err instanceof ConfigError && err.message === STORAGE_REQUIRED);
});

test('a static key for the environment: JSON carries the base64 PEM of the printed key', async () => {
  proxySuite('legacy');
  const { stdout } = await create({ static: true, format: 'json' });
  const doc = JSON.parse(stdout) as { public_key: string; private_key: string };
  const privateKey = parsePrivateKeyPem(Buffer.from(doc.private_key, 'base64'));
  assert.ok(publicKeysEqual(privateKey, parseAuthorizedKey(doc.public_key)));
  assert.equal(keyAlgorithmOf(privateKey), 'ed25519');
});

test('a static key path is written (0600), reused without --overwrite, replaced with it', async () => {
  const path = join(dir, 'static-key');
  proxySuite('balanced-v1');
  const first = await create({ static: true, staticKeyPath: path, format: 'json' });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.ok(first.log.lines.some((l) => l.startsWith(`INFO ${STATIC_KEY_WRITTEN} path=`)));
  const again = await create({ static: true, staticKeyPath: path, format: 'json' });
  assert.equal(JSON.parse(again.stdout).public_key, JSON.parse(first.stdout).public_key);
  assert.ok(again.log.lines.includes(`INFO ${STATIC_KEY_REUSED}`));
  proxySuite('balanced-v1');
  const replaced = await create({ static: true, staticKeyPath: path, format: 'json', overwrite: true });
  assert.notEqual(JSON.parse(replaced.stdout).public_key, JSON.parse(first.stdout).public_key);
  assert.ok(!existsSync(`${path}.pub`), 'no public key file for static keys');
});

test('an unparsable static key file is a local state error (exit 3)', async () => {
  const path = join(dir, 'broken-key');
  writeFileSync(path, 'not a key');
  await assert.rejects(create({ static: true, staticKeyPath: path }), (err: Error) => {
    assert.match(err.message, /could not parse existing key at static key path .*broken-key/);
    assert.equal(exitCodeFor(err), 3);
    return true;
  });
});

test('a proxy failure names the proxy and Teleport\'s message; exit 1', async () => {
  nock(`https://${PROXY}`).get('/webapi/find').reply(503, { error: { message: 'auth server is unavailable' } });
  await assert.rejects(create({ storage: join(dir, 'bot3') }), (err: Error) => {
    assert.match(err.message, /^pinging proxy to determine signature algorithm suite: proxy proxy\.example\.test:443 .*HTTP 503: auth server is unavailable/);
    assert.equal(exitCodeFor(err), 1);
    return true;
  });
  assert.ok(!existsSync(join(dir, 'bot3', 'id_bkp')));
});

test('an unknown suite from the proxy is refused naming the value', async () => {
  proxySuite('quantum-v9');
  await assert.rejects(create({ storage: join(dir, 'bot4') }), /unknown suite "quantum-v9"/);
});
