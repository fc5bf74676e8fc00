// One contract, every store: the memory store, SQLite, and PostgreSQL (when
// BKP_TEST_POSTGRES_URL names a database; CI starts one). The join handler
// relies on exactly these semantics — especially the conditional update.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ClusterStore } from './store.js';
import { openStore } from './open-store.js';
import type { StoreOptions } from './open-store.js';
import type { ProvisionToken } from '../tokens/token.js';
import type { BotInstance } from '../bot-instances/bot-instance.js';
import { isTraceError } from '../../protocol/errors.js';

const token = (name: string, limit = 1): ProvisionToken => ({
  kind: 'token',
  version: 'v2',
  metadata: { name },
  spec: { roles: ['Bot'], bot_name: 'robot', join_method: 'bound_keypair', bound_keypair: { recovery: { limit, mode: '' } } },
  status: { bound_keypair: { recovery_count: 0 } },
});

const instance = (id: string): BotInstance => ({
  kind: 'bot_instance',
  version: 'v1',
  metadata: { name: id },
  spec: { bot_name: 'robot', instance_id: id },
  status: {
    initial_authentication: { auth_time: '2026-01-01T00:00:00Z', join_method: 'bound_keypair', join_token: 't', generation: 1 },
    latest_authentications: [],
  },
});

const dir = mkdtempSync(path.join(tmpdir(), 'bkp-store-'));
const backends: { name: string; options: () => StoreOptions }[] = [
  { name: 'memory', options: () => ({ kind: 'memory' }) },
  { name: 'sqlite', options: () => ({ kind: 'sqlite', dataDir: path.join(dir, randomBytes(4).toString('hex')) }) },
];
const pgUrl = process.env.BKP_TEST_POSTGRES_URL;
if (pgUrl) backends.push({ name: 'postgresql', options: () => ({ kind: 'postgres', url: pgUrl, schema: `t_${randomBytes(6).toString('hex')}` }) });

after(() => rmSync(dir, { recursive: true, force: true }));

for (const backend of backends) {
  describe(`${backend.name} store`, () => {
    let store: ClusterStore;
    before(async () => {
      store = await openStore(backend.options());
    });
    after(() => store.close());

    it('creates, reads, lists and deletes tokens; a second create of a name is AlreadyExists', async () => {
      await store.clear();
      const created = await store.createToken(token('a'));
      assert.ok(created.metadata.revision, 'a stored token has a revision');
      assert.deepEqual((await store.getToken('a'))?.spec, token('a').spec);
      await assert.rejects(store.createToken(token('a')), (e) => isTraceError(e, 'AlreadyExists'));
      await store.createToken(token('b'));
      assert.deepEqual((await store.listTokens()).map((t) => t.metadata.name), ['a', 'b']);
      await store.deleteToken('a');
      assert.equal(await store.getToken('a'), undefined);
      await assert.rejects(store.deleteToken('a'), (e) => isTraceError(e, 'NotFound'));
    });

    it('updates only from the revision that was read', async () => {
      await store.clear();
      const first = await store.createToken(token('a'));
      const second = await store.updateToken({ ...first, spec: token('a', 5).spec }, first.metadata.revision ?? '');
      assert.notEqual(second.metadata.revision, first.metadata.revision);
      await assert.rejects(store.updateToken(first, first.metadata.revision ?? ''), (e) => isTraceError(e, 'CompareFailed'));
      assert.equal((await store.getToken('a'))?.spec.bound_keypair?.recovery?.limit, 5);
      await assert.rejects(store.updateToken(token('missing'), 'x'), (e) => isTraceError(e, 'NotFound'));
    });

    it('lets exactly one of many concurrent updates from one revision win', async () => {
      await store.clear();
      const read = await store.createToken(token('race'));
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.updateToken({ ...read, spec: token('race', i + 2).spec }, read.metadata.revision ?? '')),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.filter((r) => r.status === 'rejected').every((r) => isTraceError((r as PromiseRejectedResult).reason, 'CompareFailed')));
    });

    it('keeps locks and bot instances with the same semantics', async () => {
      await store.clear();
      await store.upsertLock({ kind: 'lock', version: 'v2', metadata: { name: 'l1' }, spec: { target: { join_token: 'a' } } });
      await store.upsertLock({ kind: 'lock', version: 'v2', metadata: { name: 'l1' }, spec: { target: { join_token: 'b' } } });
      assert.deepEqual((await store.listLocks()).map((l) => l.spec.target), [{ join_token: 'b' }]);
      await store.deleteLock('l1');
      assert.equal(await store.getLock('l1'), undefined);

      const stored = await store.createBotInstance(instance('i1'));
      await store.updateBotInstance(stored, stored.metadata.revision ?? '');
      await assert.rejects(store.updateBotInstance(stored, stored.metadata.revision ?? ''), (e) => isTraceError(e, 'CompareFailed'));
      assert.equal((await store.listBotInstances('robot')).length, 1);
      assert.equal((await store.listBotInstances('other')).length, 0);
    });

    it('appends audit events in order and filters them', async () => {
      await store.clear();
      const e1 = await store.appendAuditEvent({ event: 'bot.join', code: 'X', time: 't', success: true, token_name: 'a' });
      const e2 = await store.appendAuditEvent({ event: 'bot.join', code: 'X', time: 't', success: false, token_name: 'b' });
      assert.ok((e2.index ?? 0) > (e1.index ?? 0));
      assert.deepEqual((await store.listAuditEvents({ token_name: 'b' })).map((e) => e.success), [false]);
      assert.deepEqual((await store.listAuditEvents({ since_index: e1.index })).map((e) => e.token_name), ['b']);
    });

    it('keeps the first cluster record and keeps it across a reset', async () => {
      await store.clear();
      assert.equal(await store.initClusterRecord('k', 'first'), 'first');
      assert.equal(await store.initClusterRecord('k', 'second'), 'first');
      await store.createToken(token('a'));
      await store.clear();
      assert.deepEqual(await store.listTokens(), []);
      assert.equal(await store.initClusterRecord('k', 'third'), 'first');
      await store.putClusterRecord('k', 'replaced');
      assert.equal(await store.initClusterRecord('k', 'fourth'), 'replaced');
    });
  });
}

describe('sqlite store', () => {
  it('keeps everything across a reopen of the same data directory', async () => {
    const dataDir = path.join(dir, 'reopen');
    const first = await openStore({ kind: 'sqlite', dataDir });
    await first.createToken(token('durable'));
    await first.initClusterRecord('k', 'v');
    await first.close();
    const second = await openStore({ kind: 'sqlite', dataDir });
    assert.equal((await second.getToken('durable'))?.metadata.name, 'durable');
    assert.equal(await second.initClusterRecord('k', 'other'), 'v');
    await second.close();
  });
});
