import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeAuthorizedKey, generateKeyPair, keyAlgorithmOf, parsePrivateKeyPem, publicKeysEqual } from '../../crypto/index.js';
import { memoryLog } from '../log.js';
import { BKP_ITEMS } from './fs-client-state.js';
import { createKeypair, emptyFsClientState, loadFsClientState, WARN_HISTORY_UNPARSABLE, WARN_HISTORY_UNREADABLE } from './fs-state-loader.js';
import { KeyHistoryLength, decodeKeyHistory } from './key-history.js';
import { manualClock, tempStorage } from './test-support.js';

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

test('keypair create writes id_bkp (PKCS#8), id_bkp.pub (with newline) and a one-entry history, no bkp_state', async () => {
  const t = tempStorage();
  try {
    const state = await createKeypair(t.storage, 'balanced-v1', memoryLog(), manualClock());
    assert.deepEqual(t.files(), ['bkp_key_history.json', 'id_bkp', 'id_bkp.pub']);
    assert.match(read(t.dir, 'id_bkp'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(read(t.dir, 'id_bkp.pub'), `${state.activePublicKey}\n`);
    assert.match(read(t.dir, 'id_bkp.pub'), /^ssh-ed25519 /);
    const history = decodeKeyHistory(Buffer.from(read(t.dir, 'bkp_key_history.json')));
    assert.deepEqual(history, [{ time: '2026-11-25T12:00:00.123Z', privateKeyPem: read(t.dir, 'id_bkp') }]);
  } finally {
    t.cleanup();
  }
  const f = tempStorage();
  try {
    const fips = await createKeypair(f.storage, 'fips-v1', memoryLog(), manualClock());
    assert.match(fips.activePublicKey ?? '', /^ecdsa-sha2-nistp256 /);
  } finally {
    f.cleanup();
  }
});

test('C-LD-1: no id_bkp, or an empty one, is "not found"; C-LD-3: a bad one fails with "parsing private key"', async () => {
  const t = tempStorage();
  try {
    assert.equal(await loadFsClientState(t.storage, memoryLog(), manualClock()), undefined);
    writeFileSync(path.join(t.dir, 'id_bkp'), '  \n');
    assert.equal(await loadFsClientState(t.storage, memoryLog(), manualClock()), undefined);
    writeFileSync(path.join(t.dir, 'id_bkp'), 'not a key');
    await assert.rejects(loadFsClientState(t.storage, memoryLog(), manualClock()), /parsing private key/);
  } finally {
    t.cleanup();
  }
});

test('accepts RSA as PKCS#1 and ECDSA as SEC1 "EC PRIVATE KEY"; C-LD-2: no bkp_state is fine; C-LD-5 seeds the history', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cases = [
    { pem: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), label: 'RSA PRIVATE KEY', pub: rsa.publicKey },
    { pem: ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(), label: 'EC PRIVATE KEY', pub: ec.publicKey },
  ];
  for (const c of cases) {
    const t = tempStorage();
    try {
      writeFileSync(path.join(t.dir, 'id_bkp'), c.pem);
      const log = memoryLog();
      const state = await loadFsClientState(t.storage, log, manualClock());
      assert.ok(state, c.label);
      assert.ok(publicKeysEqual(state.signerFor(encodeAuthorizedKey(c.pub)).publicKey, c.pub));
      assert.deepEqual(state.joinParameters('s3cret'), { initialJoinSecret: 's3cret', previousJoinState: Buffer.alloc(0) });
      assert.deepEqual(state.historyPublicKeys, [encodeAuthorizedKey(c.pub)], 'C-LD-5: the history starts as the active key');
      assert.deepEqual(log.lines, [], 'no warning for a missing history');
      await state.store();
      assert.equal(read(t.dir, 'id_bkp'), c.pem, 'id_bkp is never rewritten when it did not change');
      assert.equal(read(t.dir, 'id_bkp.pub'), `${encodeAuthorizedKey(c.pub)}\n`, 'the missing .pub is derived and written');
      assert.equal(decodeKeyHistory(Buffer.from(read(t.dir, 'bkp_key_history.json')))[0]?.privateKeyPem, c.pem);
    } finally {
      t.cleanup();
    }
  }
});

test('C-LD-4: an unreadable or unparsable history is only a warning', async () => {
  const t = tempStorage();
  try {
    const created = await createKeypair(t.storage, 'balanced-v1', memoryLog(), manualClock());
    writeFileSync(path.join(t.dir, 'bkp_key_history.json'), '{"entries": [oops');
    let log = memoryLog();
    let state = await loadFsClientState(t.storage, log, manualClock());
    assert.equal(state?.activePublicKey, created.activePublicKey);
    assert.ok(log.lines.some((l) => l.startsWith(`WARN ${WARN_HISTORY_UNPARSABLE}`)), log.lines.join('\n'));
    assert.deepEqual(state?.historyPublicKeys, [created.activePublicKey]);

    writeFileSync(path.join(t.dir, 'bkp_key_history.json'), Buffer.alloc(2 * 1024 * 1024));
    log = memoryLog();
    state = await loadFsClientState(t.storage, log, manualClock());
    assert.ok(log.lines.some((l) => l.startsWith(`WARN ${WARN_HISTORY_UNREADABLE}`)), log.lines.join('\n'));
    assert.ok(state);
  } finally {
    t.cleanup();
  }
});

test('C-JP-1/2: the stored join state is sent and the secret is then withheld', async () => {
  const t = tempStorage();
  try {
    await createKeypair(t.storage, 'balanced-v1', memoryLog(), manualClock());
    writeFileSync(path.join(t.dir, 'bkp_state'), 'header.payload.signature');
    const state = await loadFsClientState(t.storage, memoryLog(), manualClock());
    assert.deepEqual(state?.joinParameters('s3cret'), { initialJoinSecret: '', previousJoinState: Buffer.from('header.payload.signature') });
  } finally {
    t.cleanup();
  }
});

test('C-SG: signer lookup by key equality, active first then history; else "no matching key found"', async () => {
  const t = tempStorage();
  try {
    const state = await createKeypair(t.storage, 'balanced-v1', memoryLog(), manualClock());
    const active = state.activePublicKey ?? '';
    const newer = await state.requestNewKeypair('balanced-v1');
    assert.ok(state.signerFor(`${active} a-comment\n`), 'equality of keys, not of strings');
    assert.ok(state.signerFor(newer));
    assert.throws(() => state.signerFor(encodeAuthorizedKey(generateKeyPair('ed25519').publicKey)), /^Error: no matching key found$/);
    assert.throws(() => state.signerFor('garbage'), /parsing the public key named by the server/);
  } finally {
    t.cleanup();
  }
});

test('C-RT-1..4: a rotation request generates a key for the suite, prepends it, persists it, keeps the active key, logs', async () => {
  const expected: [string, string][] = [['legacy', 'ed25519'], ['balanced-v1', 'ed25519'], ['hsm-v1', 'ed25519'], ['fips-v1', 'ecdsa-p256'], ['', 'ed25519']];
  for (const [suite, alg] of expected) {
    const t = tempStorage();
    try {
      const created = await createKeypair(t.storage, 'balanced-v1', memoryLog(), manualClock());
      const log = memoryLog();
      const state = await loadFsClientState(t.storage, log, manualClock());
      const publicKey = await state!.requestNewKeypair(suite);
      assert.equal(publicKey, publicKey.trim());
      assert.equal(state!.activePublicKey, created.activePublicKey, 'not made active');
      const onDisk = decodeKeyHistory(Buffer.from(read(t.dir, 'bkp_key_history.json')));
      assert.equal(onDisk.length, 2);
      assert.equal(keyAlgorithmOf(parsePrivateKeyPem(onDisk[0]!.privateKeyPem)), alg, `suite "${suite}"`);
      assert.equal(read(t.dir, 'id_bkp.pub'), `${created.activePublicKey}\n`);
      assert.match(log.lines[0] ?? '', /^INFO Server has requested keypair rotation suite=/);
      assert.equal(log.lines[1], `INFO Generated new keypair public_key="${publicKey}"`);
    } finally {
      t.cleanup();
    }
  }
  const t = tempStorage();
  try {
    const state = await createKeypair(t.storage, 'balanced-v1', memoryLog(), manualClock());
    await assert.rejects(state.requestNewKeypair('quantum-v9'), /unsupported signature algorithm suite "quantum-v9"/);
    for (let i = 0; i < 12; i++) await state.requestNewKeypair('balanced-v1');
    assert.equal(decodeKeyHistory(Buffer.from(read(t.dir, 'bkp_key_history.json'))).length, KeyHistoryLength);
  } finally {
    t.cleanup();
  }
});

test('C-RS-2..4: a result makes the returned key active, replaces the join state, persists and logs', async () => {
  const t = tempStorage();
  try {
    const state = await createKeypair(t.storage, 'balanced-v1', memoryLog(), manualClock());
    const old = state.activePublicKey ?? '';
    const log = memoryLog();
    const loaded = (await loadFsClientState(t.storage, log, manualClock()))!;
    const next = await loaded.requestNewKeypair('balanced-v1');
    await loaded.acceptResult({ publicKey: next, joinState: Buffer.from('jwt-1') });
    assert.equal(loaded.activePublicKey, next);
    assert.equal(read(t.dir, 'id_bkp.pub'), `${next}\n`);
    assert.equal(read(t.dir, 'bkp_state'), 'jwt-1');
    assert.ok(log.lines.includes(`INFO Set new active keypair public_key="${next}"`));
    assert.deepEqual(loaded.historyPublicKeys, [next, old], 'the old key stays in the history');
    const logged = log.lines.length;
    await loaded.acceptResult({ publicKey: next, joinState: Buffer.from('jwt-2') });
    assert.equal(log.lines.length, logged, 'no "Set new active keypair" when the key did not change');
    assert.equal(read(t.dir, 'bkp_state'), 'jwt-2');
    await assert.rejects(
      loaded.acceptResult({ publicKey: encodeAuthorizedKey(generateKeyPair('ed25519').publicKey), joinState: Buffer.from('x') }),
      /^Error: fetching key requested by auth: no matching key found$/,
    );
    assert.equal(read(t.dir, 'bkp_state'), 'jwt-2', 'nothing written for an unknown key');
  } finally {
    t.cleanup();
  }
});

test('an empty (secret onboarding) state writes no id_bkp for a rotation request and keeps an existing history', async () => {
  const t = tempStorage();
  try {
    const first = await emptyFsClientState(t.storage, memoryLog(), manualClock());
    assert.equal(first.activePublicKey, undefined);
    const k1 = await first.requestNewKeypair('balanced-v1');
    assert.deepEqual(t.files(), [BKP_ITEMS.keyHistory]);
    assert.equal(await loadFsClientState(t.storage, memoryLog(), manualClock()), undefined, 'still "not found"');
    const again = await emptyFsClientState(t.storage, memoryLog(), manualClock());
    assert.ok(again.signerFor(k1), 'the interrupted onboarding\'s key can still sign');
  } finally {
    t.cleanup();
  }
});
