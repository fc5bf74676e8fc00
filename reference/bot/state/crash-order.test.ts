// Crash safety of the bound keypair state (fs-client-state.ts header): a
// crash between any two writes must leave a state that loads and that can
// still sign for every key the server may have bound. A crash is simulated
// by a storage that lets n writes through and refuses the rest, for every n.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthorizedKey, publicKeysEqual } from '../../crypto/index.js';
import { memoryLog } from '../log.js';
import type { BotStorage } from './bot-storage.js';
import { BKP_ITEMS } from './fs-client-state.js';
import type { FsClientState } from './fs-client-state.js';
import { createKeypair, emptyFsClientState, loadFsClientState } from './fs-state-loader.js';
import { decodeKeyHistory } from './key-history.js';
import { heldKeyFromPem } from './held-key.js';
import { manualClock, recordingStorage, tempStorage } from './test-support.js';

const clock = manualClock();

/** What the server has done so far: every key it has been told about, and the join states it issued (in order) with their keys. */
interface ServerView {
  disclosed: string[];
  issued: [joinState: string, publicKey: string][];
}

/** A flow: what the bot does to its state during one join. */
type Flow = (state: FsClientState, server: ServerView) => Promise<void>;

async function result(state: FsClientState, server: ServerView, publicKey: string, joinState: string): Promise<void> {
  server.issued.push([joinState, publicKey]);
  await state.acceptResult({ publicKey, joinState: Buffer.from(joinState) });
}

const onboardWithSecret: Flow = async (state, server) => {
  const k1 = await state.requestNewKeypair('balanced-v1');
  server.disclosed.push(k1); // the rotation response is sent only after requestNewKeypair returned
  await result(state, server, k1, 'state-1');
};

const rotateDuringRenewal: Flow = async (state, server) => {
  const k2 = await state.requestNewKeypair('fips-v1');
  server.disclosed.push(k2);
  await result(state, server, k2, 'state-2');
};

/** After a cluster rollback the server names an older key from the history. */
const rollBackToOlderKey: Flow = async (state, server) => {
  await result(state, server, state.historyPublicKeys[1] ?? '', 'state-3');
};

/** Checks, at every id_bkp write, that the history on disk already holds the key being made active. */
function guardedStorage(inner: BotStorage): BotStorage {
  return {
    location: inner.location,
    read: (name) => inner.read(name),
    async write(name, data) {
      if (name === BKP_ITEMS.privateKey) {
        const history = decodeKeyHistory((await inner.read(BKP_ITEMS.keyHistory)) ?? Buffer.from('{}'));
        const key = heldKeyFromPem(data.toString(), '');
        assert.ok(history.some((e) => heldKeyFromPem(e.privateKeyPem, '').authorizedKey === key.authorizedKey),
          'id_bkp changed to a key that is not yet in the history on disk');
      }
      await inner.write(name, data);
    },
  };
}

async function checkAfterCrash(storage: BotStorage, server: ServerView, what: string): Promise<void> {
  const log = memoryLog();
  // The lifecycle's rule: a stored state, else (secret configured) an empty one.
  const stored = await loadFsClientState(storage, log, clock);
  const state = stored ?? (await emptyFsClientState(storage, log, clock));
  for (const key of server.disclosed) {
    assert.doesNotThrow(() => state.signerFor(key), `${what}: lost key ${key.slice(0, 40)}…`);
  }
  // bkp_state is written last: the join state on disk is never ahead of id_bkp. Its key (or the key
  // of a later result, whose join state did not reach the disk) is the active one.
  const joinState = (await storage.read(BKP_ITEMS.joinState))?.toString();
  if (joinState !== undefined) {
    assert.ok(stored, `${what}: a join state on disk without an active key`);
    const index = server.issued.findIndex(([s]) => s === joinState);
    const allowed = server.issued.slice(index).map(([, key]) => key);
    assert.ok(index >= 0 && allowed.includes(stored.activePublicKey ?? ''), `${what}: the join state on disk is newer than id_bkp`);
  }
  assert.equal(log.lines.filter((l) => l.startsWith('WARN')).length, 0, `${what}: ${log.lines.join('\n')}`);
}

async function crashAtEveryWrite(name: string, setup: (storage: BotStorage) => Promise<FsClientState | undefined>, flows: Flow[]): Promise<number> {
  // A clean run counts the writes the flows make.
  const clean = tempStorage();
  let total: number;
  try {
    await setup(clean.storage);
    const counting = recordingStorage(guardedStorage(clean.storage));
    const state = (await loadFsClientState(counting, memoryLog(), clock)) ?? (await emptyFsClientState(counting, memoryLog(), clock));
    for (const flow of flows) await flow(state, { disclosed: [], issued: [] });
    total = counting.writes.length;
  } finally {
    clean.cleanup();
  }
  for (let n = 0; n <= total; n++) {
    const t = tempStorage();
    try {
      const before = await setup(t.storage);
      const server: ServerView = {
        disclosed: before?.activePublicKey ? [before.activePublicKey, ...before.historyPublicKeys] : [],
        issued: before?.activePublicKey ? [['state-1', before.activePublicKey]] : [],
      };
      const crashing = recordingStorage(guardedStorage(t.storage), n);
      const state = (await loadFsClientState(crashing, memoryLog(), clock)) ?? (await emptyFsClientState(crashing, memoryLog(), clock));
      let crashed = false;
      try {
        for (const flow of flows) await flow(state, server);
      } catch (err) {
        assert.match(String(err), /simulated crash/);
        crashed = true;
      }
      assert.equal(crashed, n < total, `${name}: crash after ${n} of ${total} writes`);
      await checkAfterCrash(t.storage, server, `${name}, crash after write ${n} of ${total} (${crashing.writes.join(', ')})`);
    } finally {
      t.cleanup();
    }
  }
  return total;
}

test('secret onboarding: a crash after any write keeps the generated key', async () => {
  const total = await crashAtEveryWrite('secret onboarding', async () => undefined, [onboardWithSecret]);
  assert.equal(total, 4, 'history, id_bkp, id_bkp.pub, bkp_state');
});

test('rotation during a renewal and a later rollback to an older key: a crash after any write loses no key', async () => {
  const setup = async (storage: BotStorage) => {
    const created = await createKeypair(storage, 'balanced-v1', memoryLog(), clock);
    await created.acceptResult({ publicKey: created.activePublicKey ?? '', joinState: Buffer.from('state-1') });
    return created;
  };
  const total = await crashAtEveryWrite('rotation', setup, [rotateDuringRenewal, rollBackToOlderKey]);
  assert.equal(total, 7, 'rotation: history, id_bkp, .pub, bkp_state; rollback: id_bkp, .pub, bkp_state');
});

test('keypair create: a crash after any write leaves a loadable storage', async () => {
  for (let n = 0; n <= 3; n++) {
    const t = tempStorage();
    try {
      let failed = false;
      try {
        await createKeypair(recordingStorage(t.storage, n), 'balanced-v1', memoryLog(), clock);
      } catch {
        failed = true;
      }
      assert.equal(failed, n < 3, 'only the complete run succeeds');
      const state = await loadFsClientState(t.storage, memoryLog(), clock);
      if (n >= 2) assert.ok(state && publicKeysEqual(parseAuthorizedKey(state.activePublicKey ?? ''), parseAuthorizedKey(state.historyPublicKeys[0] ?? '')));
      else assert.equal(state, undefined);
    } finally {
      t.cleanup();
    }
  }
});
