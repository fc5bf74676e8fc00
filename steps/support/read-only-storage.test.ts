import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { canWriteIn, makeReadOnly } from './read-only-storage.js';

test('a directory made read-only refuses writes (also to root), and restore() gives back its mode and writability', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bkp-ro-test-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = path.join(root, 'storage');
  await mkdir(dir, { mode: 0o700 });
  assert.equal(await canWriteIn(dir), true);
  let ro;
  try {
    ro = await makeReadOnly(dir);
  } catch (err) {
    // A root run on a filesystem without the immutable attribute: the helper says so rather than pretending.
    assert.match((err as Error).message, /cannot make .* read-only on this machine/);
    t.skip('no way to make a directory read-only for root here');
    return;
  }
  assert.equal(await canWriteIn(dir), false, `still writable after ${ro.how}`);
  await ro.restore();
  assert.equal(await canWriteIn(dir), true);
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
});
