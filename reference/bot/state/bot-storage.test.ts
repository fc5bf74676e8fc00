import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_ITEM_BYTES, directoryStorage, storageDirectory } from './bot-storage.js';
import { tempStorage } from './test-support.js';

test('storage paths: plain paths and file:// URIs as tbot takes them; other schemes refused', () => {
  assert.equal(storageDirectory('/var/lib/teleport/bot'), '/var/lib/teleport/bot');
  assert.equal(storageDirectory('relative/dir'), 'relative/dir');
  assert.equal(storageDirectory('file:///var/lib/teleport/bot'), '/var/lib/teleport/bot');
  assert.equal(storageDirectory('file:///var/lib/with%20space'), '/var/lib/with space');
  assert.equal(storageDirectory('file://localhost/srv/bot'), '/srv/bot');
  assert.equal(storageDirectory('file:relative/dir'), 'relative/dir');
  assert.throws(() => storageDirectory('file://otherhost/srv'), /names host "otherhost"/);
  assert.throws(() => storageDirectory('memory://'), /unsupported storage URI scheme "memory"/);
  assert.throws(() => storageDirectory('kubernetes-secret:///x'), /unsupported storage URI scheme/);
  assert.throws(() => storageDirectory(''), /must not be empty/);
});

test('read: a missing item is undefined; write then read round-trips; the directory is created 0700', async () => {
  const t = tempStorage();
  try {
    const storage = directoryStorage(pathToFileURL(path.join(t.dir, 'new-dir')).href);
    assert.equal(await storage.read('id_bkp'), undefined);
    await storage.write('id_bkp', 'key bytes');
    assert.equal((await storage.read('id_bkp'))?.toString(), 'key bytes');
    assert.equal(statSync(path.join(t.dir, 'new-dir')).mode & 0o777, 0o700);
    assert.equal(readFileSync(path.join(t.dir, 'new-dir', 'id_bkp'), 'utf8'), 'key bytes');
  } finally {
    t.cleanup();
  }
});

test('read errors other than "missing" throw with the path', async () => {
  const t = tempStorage();
  try {
    mkdirSync(path.join(t.dir, 'bkp_state'));
    await assert.rejects(t.storage.read('bkp_state'), new RegExp(`reading ${path.join(t.dir, 'bkp_state')}: not a regular file`));
    writeFileSync(path.join(t.dir, 'big'), Buffer.alloc(MAX_ITEM_BYTES + 1));
    await assert.rejects(t.storage.read('big'), /more than the 1048576-byte limit/);
    await assert.rejects(t.storage.write('big', Buffer.alloc(MAX_ITEM_BYTES + 1)), /more than the 1048576-byte limit/);
  } finally {
    t.cleanup();
  }
});

test('item names are plain file names only', async () => {
  const t = tempStorage();
  try {
    for (const bad of ['../escape', 'a/b', '.hidden', '', '..']) {
      await assert.rejects(t.storage.read(bad), /invalid storage item name/);
      await assert.rejects(t.storage.write(bad, 'x'), /invalid storage item name/);
    }
    assert.deepEqual(t.files(), []);
  } finally {
    t.cleanup();
  }
});
