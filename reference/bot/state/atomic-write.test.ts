import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePrivateDirectory, writeFileAtomic } from './atomic-write.js';

function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bkp-atomic-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('writes a new file owner-only and leaves no temporary file behind', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const target = path.join(dir, 'id_bkp');
    await writeFileAtomic(target, 'secret');
    assert.equal(readFileSync(target, 'utf8'), 'secret');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['id_bkp']);
  } finally {
    cleanup();
  }
});

test('replaces an existing file, and the replacement is owner-only even if the old file was not', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const target = path.join(dir, 'bkp_state');
    writeFileSync(target, 'old');
    chmodSync(target, 0o644);
    await writeFileAtomic(target, Buffer.from('new'));
    assert.equal(readFileSync(target, 'utf8'), 'new');
    assert.equal(statSync(target).mode & 0o777, 0o600);
  } finally {
    cleanup();
  }
});

test('a failed write names the target, keeps the old content and cleans up', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // Renaming a file over a non-empty directory fails after the temp file was written.
    const target = path.join(dir, 'item');
    await ensurePrivateDirectory(path.join(target, 'inside'));
    await assert.rejects(writeFileAtomic(target, 'data'), (err: Error) => err.message.startsWith(`writing ${target}:`));
    assert.deepEqual(readdirSync(dir), ['item'], 'the temporary file was removed');
    assert.deepEqual(readdirSync(target), ['inside']);
  } finally {
    cleanup();
  }
});

test('creates a missing storage directory (and parents) with mode 0700', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const nested = path.join(dir, 'a', 'b');
    await ensurePrivateDirectory(nested);
    assert.equal(statSync(nested).mode & 0o777, 0o700);
    await ensurePrivateDirectory(nested); // existing: fine
  } finally {
    cleanup();
  }
});
