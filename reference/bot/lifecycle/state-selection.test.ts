// Which client state a join uses (client notes §3.1), over a real storage directory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePrivateKeyPem, generateKeyPair } from '../../crypto/index.js';
import { memoryLog } from '../log.js';
import { systemClock } from '../clock.js';
import { directoryStorage } from '../state/bot-storage.js';
import { createKeypair } from '../state/fs-state-loader.js';
import { exitCodeFor } from './exit-codes.js';
import { JOINING_WITH_SECRET, NO_LOCAL_CREDENTIALS, STATIC_KEY_FALLBACK, STATIC_KEY_SELECTED, selectClientState } from './state-selection.js';
import { verifyWritable } from './live-operations.js';

const root = mkdtempSync(join(tmpdir(), 'bkp-select-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshStorage = () => directoryStorage(join(root, `s${n++}`));
const staticPem = encodePrivateKeyPem(generateKeyPair('ed25519').privateKey);

test('a static key that loads wins, with tbot\'s message', async () => {
  const log = memoryLog();
  const state = await selectClientState({
    storage: freshStorage(), staticKey: { envValue: Buffer.from(staticPem).toString('base64') }, registrationSecret: 's', log, clock: systemClock,
  });
  assert.equal(state.kind, 'static');
  assert.ok(log.lines.includes(`INFO ${STATIC_KEY_SELECTED}`));
});

test('a static key that does not load falls back to the filesystem state, with a warning', async () => {
  const storage = freshStorage();
  await createKeypair(storage, 'balanced-v1', memoryLog(), systemClock);
  const log = memoryLog();
  const state = await selectClientState({ storage, staticKey: { envValue: 'not base64!' }, log, clock: systemClock });
  assert.equal(state.kind, 'fs');
  assert.ok(log.lines.some((l) => l.startsWith(`WARN ${STATIC_KEY_FALLBACK} error="decoding private key from environment`)));
});

test('a stored keypair is used', async () => {
  const storage = freshStorage();
  await createKeypair(storage, 'balanced-v1', memoryLog(), systemClock);
  const state = await selectClientState({ storage, registrationSecret: 'unused', log: memoryLog(), clock: systemClock });
  assert.equal(state.kind, 'fs');
  assert.equal(state.joinParameters('unused').initialJoinSecret, 'unused', 'no join state yet: the secret is still sent');
});

test('no state but a secret: an empty state for secret onboarding', async () => {
  const log = memoryLog();
  const state = await selectClientState({ storage: freshStorage(), registrationSecret: 'sec', log, clock: systemClock });
  assert.equal(state.kind, 'fs');
  assert.ok(log.lines.includes(`INFO ${JOINING_WITH_SECRET}`));
});

test('no state and no secret: tbot\'s long error, a configuration error (exit 2)', async () => {
  const log = memoryLog();
  await assert.rejects(selectClientState({ storage: freshStorage(), log, clock: systemClock }), (err: Error) => {
    assert.match(err.message, /^loading bound keypair client state: no active private key found/);
    assert.equal(exitCodeFor(err), 2);
    return true;
  });
  assert.ok(log.lines.includes(`ERROR ${NO_LOCAL_CREDENTIALS}`));
});

test('an unparsable id_bkp is a local state error (exit 3)', async () => {
  const dir = join(root, 'corrupt');
  const storage = directoryStorage(dir);
  await storage.write('id_bkp', 'garbage');
  await assert.rejects(selectClientState({ storage, registrationSecret: 's', log: memoryLog(), clock: systemClock }), (err: Error) => {
    assert.match(err.message, /^loading bound keypair client state: loading id_bkp/);
    assert.equal(exitCodeFor(err), 3);
    return true;
  });
});

test('the writability probe creates a missing storage directory and leaves nothing behind', async () => {
  const dir = join(root, 'probe', 'nested');
  await verifyWritable(dir);
  assert.ok(existsSync(dir));
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  await assert.rejects(verifyWritable(join(file, 'storage')), /creating storage directory/);
});
