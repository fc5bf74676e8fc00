import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeAuthorizedKey, encodePrivateKeyPem, generateKeyPair, publicKeysEqual } from '../../crypto/index.js';
import { memoryLog } from '../log.js';
import { ERR_STATIC_KEY_MISMATCH, StaticClientState, WARN_STATIC_SECRET_IGNORED, loadStaticKey } from './static-client-state.js';
import { tempStorage } from './test-support.js';

test('loadStaticKey: nothing configured → undefined; the file wins over the environment', async () => {
  const t = tempStorage();
  try {
    assert.equal(await loadStaticKey({}), undefined);
    assert.equal(await loadStaticKey({ envValue: '' }), undefined);
    const fileKey = generateKeyPair('ed25519');
    const envKey = generateKeyPair('ecdsa-p256');
    const file = path.join(t.dir, 'static-key');
    writeFileSync(file, encodePrivateKeyPem(fileKey.privateKey));
    const envValue = Buffer.from(encodePrivateKeyPem(envKey.privateKey)).toString('base64');
    const fromFile = await loadStaticKey({ path: file, envValue });
    assert.ok(fromFile && publicKeysEqual(fromFile.publicKey, fileKey.publicKey));
    const fromEnv = await loadStaticKey({ envValue });
    assert.ok(fromEnv && publicKeysEqual(fromEnv.publicKey, envKey.publicKey));
    // Go's StdEncoding skips line breaks.
    const wrapped = envValue.replace(/(.{60})/g, '$1\n');
    assert.ok(await loadStaticKey({ envValue: wrapped }));
  } finally {
    t.cleanup();
  }
});

test('loadStaticKey errors: read error names the path; bad base64; bad PEM', async () => {
  await assert.rejects(loadStaticKey({ path: '/nonexistent/static-key' }), /^Error: reading static key from \/nonexistent\/static-key: no such file$/);
  await assert.rejects(loadStaticKey({ envValue: 'not base64!' }), /^Error: decoding private key from environment/);
  await assert.rejects(loadStaticKey({ envValue: 'YWJj' }), /parsing private key/);
  await assert.rejects(loadStaticKey({ envValue: 'YWJjZA' }), /^Error: decoding private key from environment/, 'padding is required');
});

test('a static state never sends the secret (warns), never sends a join state, signs only for its key', () => {
  const key = generateKeyPair('ed25519');
  const log = memoryLog();
  const state = new StaticClientState(key, log);
  assert.deepEqual(state.joinParameters('s3cret'), { initialJoinSecret: '', previousJoinState: Buffer.alloc(0) });
  assert.deepEqual(log.lines, [`WARN ${WARN_STATIC_SECRET_IGNORED}`]);
  state.joinParameters(undefined);
  assert.equal(log.lines.length, 1, 'no warning without a secret');
  assert.equal(state.signerFor(encodeAuthorizedKey(key.publicKey)), key);
  assert.throws(() => state.signerFor(encodeAuthorizedKey(generateKeyPair('ed25519').publicKey)), new Error(ERR_STATIC_KEY_MISMATCH));
});

test('a static state refuses rotation and ignores results; it has no storage to write to', async () => {
  const key = generateKeyPair('ed25519');
  const state = new StaticClientState(key, memoryLog());
  await assert.rejects(state.requestNewKeypair('balanced-v1'), /do not support automatic rotation/);
  await state.acceptResult({ publicKey: 'anything', joinState: Buffer.from('jwt') });
  assert.deepEqual(state.joinParameters(undefined).previousJoinState, Buffer.alloc(0), 'the join state is not kept');
});
