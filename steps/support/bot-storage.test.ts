import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeAuthorizedKey, encodePrivateKeyPem, generateKeyPair, publicKeysEqual } from '../../reference/crypto/index.js';
import { BotStorage, BotStorageError, parseKeyHistory } from './bot-storage.js';

async function tbotLayout(): Promise<{ dir: string; active: ReturnType<typeof generateKeyPair>; old: ReturnType<typeof generateKeyPair> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bkp-storage-test-'));
  const active = generateKeyPair('ed25519');
  const old = generateKeyPair('ecdsa-p256');
  await writeFile(path.join(dir, 'id_bkp'), encodePrivateKeyPem(active.privateKey), { mode: 0o600 });
  await writeFile(path.join(dir, 'id_bkp.pub'), `${encodeAuthorizedKey(active.publicKey)}\n`, { mode: 0o600 });
  await writeFile(path.join(dir, 'bkp_state'), 'eyJhbGciOiJFZERTQSJ9.e30.c2ln', { mode: 0o600 });
  const history = { entries: [
    { time: '2026-01-02T03:04:05.123456789Z', private_key: encodePrivateKeyPem(active.privateKey) },
    { time: '2026-01-01T00:00:00Z', private_key: encodePrivateKeyPem(old.privateKey) },
  ] };
  await writeFile(path.join(dir, 'bkp_key_history.json'), JSON.stringify(history), { mode: 0o644 });
  return { dir, active, old };
}

test('a tbot layout is listed with modes and read back', async () => {
  const { dir, active, old } = await tbotLayout();
  try {
    const s = new BotStorage(dir);
    await mkdir(path.join(dir, 'sub'), { mode: 0o700 });
    await symlink('id_bkp', path.join(dir, 'link'));
    const list = await s.list();
    assert.deepEqual(list.map((e) => [e.name, e.kind, e.mode.toString(8)]), [
      ['bkp_key_history.json', 'file', '644'], ['bkp_state', 'file', '600'], ['id_bkp', 'file', '600'],
      ['id_bkp.pub', 'file', '600'], ['link', 'symlink', '777'], ['sub', 'directory', '700'],
    ]);
    const key = await s.activeKey();
    assert.equal(key.algorithm, 'ed25519');
    assert.equal(key.pemLabel, 'PRIVATE KEY');
    assert.equal(key.authorizedKey, encodeAuthorizedKey(active.publicKey));
    const pub = await s.publicKey();
    assert.ok(pub.text.endsWith('\n'));
    assert.ok(publicKeysEqual(pub.key, active.publicKey));
    assert.equal(await s.joinState(), 'eyJhbGciOiJFZERTQSJ9.e30.c2ln');
    const history = await s.keyHistory();
    assert.equal(history?.length, 2);
    assert.equal(history?.[0]?.time, '2026-01-02T03:04:05.123456789Z');
    assert.equal(history?.[1]?.key.algorithm, 'ecdsa-p256');
    assert.ok(history?.[1] && publicKeysEqual(history[1].key.publicKey, old.publicKey));
    assert.equal(await s.exists('bkp_state'), true);
    await assert.rejects(s.read('link'), /storage .*link: not a regular file/);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('absent items: undefined where optional, a named error where required', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bkp-storage-test-'));
  try {
    const s = new BotStorage(dir);
    assert.equal(await s.joinState(), undefined);
    assert.equal(await s.keyHistory(), undefined);
    assert.equal(await s.exists('id_bkp'), false);
    await assert.rejects(s.activeKey(), (e: unknown) => e instanceof BotStorageError && /storage .*\/id_bkp: does not exist/.test(e.message));
    await assert.rejects(new BotStorage(path.join(dir, 'missing')).list(), /storage .*missing: cannot list it: ENOENT/);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('corrupt items are named with what is wrong', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bkp-storage-test-'));
  try {
    await writeFile(path.join(dir, 'id_bkp'), 'not a key');
    await writeFile(path.join(dir, 'id_bkp.pub'), 'ssh-ed25519 !!!');
    await writeFile(path.join(dir, 'bkp_key_history.json'), '{"entries": 3}');
    const s = new BotStorage(dir);
    await assert.rejects(s.activeKey(), /storage .*\/id_bkp: parsing private key: expected exactly one PEM block/);
    await assert.rejects(s.publicKey(), /storage .*\/id_bkp\.pub: /);
    await assert.rejects(s.keyHistory(), /bkp_key_history\.json: expected an object with an "entries" array/);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('key history entries are checked one by one', () => {
  assert.throws(() => parseKeyHistory('{', 'h'), /h: not JSON/);
  assert.throws(() => parseKeyHistory('{"entries":[{"time":"yesterday","private_key":"x"}]}', 'h'), /h: entries\[0\]\.time: expected an RFC 3339 timestamp/);
  assert.throws(() => parseKeyHistory('{"entries":[{"time":"2026-01-01T00:00:00Z"}]}', 'h'), /h: entries\[0\]\.private_key: expected a PEM string/);
  assert.throws(() => parseKeyHistory('{"entries":[{"time":"2026-01-01T00:00:00Z","private_key":"x"}]}', 'h'), /h: entries\[0\]\.private_key: parsing private key/);
  assert.deepEqual(parseKeyHistory('{"entries":[]}', 'h'), []);
});
