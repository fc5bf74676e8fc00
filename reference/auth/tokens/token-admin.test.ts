import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTraceError } from '../../protocol/errors.js';
import { MemoryStore } from '../store/memory-store.js';
import { VirtualClock } from '../clock/clock.js';
import { TokenAdministration } from './token-admin.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { ProvisionToken } from './token.js';

/** A store whose token updates lose a race `conflicts` times: someone else writes first. */
class RacingStore extends MemoryStore {
  updates = 0;
  constructor(private conflicts: number) {
    super();
  }
  override async updateToken(token: ProvisionToken, expectedRevision: string) {
    this.updates++;
    if (this.conflicts > 0) {
      this.conflicts--;
      const current = await super.getToken(token.metadata.name);
      if (current) await super.updateToken(current, current.metadata.revision ?? '');
    }
    return super.updateToken(token, expectedRevision);
  }
}

function setup(store: MemoryStore = new MemoryStore()) {
  const clock = new VirtualClock(new Date('2025-03-04T05:06:07Z'));
  const events: AuditEvent[] = [];
  const admin = new TokenAdministration(store, clock, async (e) => void events.push(e));
  return { store, clock, events, admin };
}

function token(bk: Record<string, unknown> = {}, status?: Record<string, unknown>, name = 'bot-token') {
  return {
    kind: 'token',
    version: 'v2',
    metadata: { name },
    spec: { roles: ['Bot'], bot_name: 'robot', join_method: 'bound_keypair', bound_keypair: bk },
    ...(status ? { status: { bound_keypair: status } } : {}),
  };
}

const storedStatus = { registration_secret: 'stored-secret', bound_public_key: 'ssh-ed25519 AAAAstored', bound_bot_instance_id: 'inst-1', recovery_count: 2, last_recovered_at: '2025-01-01T00:00:00Z' };

const kindOf = (kind: string) => (err: unknown) => isTraceError(err) && err.kind === kind;

test('minimal create results in a 64-hex registration secret and nothing else', async () => {
  const { admin, events } = setup();
  const created = await admin.create(token());
  assert.deepEqual(Object.keys(created.status?.bound_keypair ?? {}), ['registration_secret']);
  assert.match(created.status?.bound_keypair?.registration_secret ?? '', /^[0-9a-f]{64}$/);
  assert.deepEqual(created.spec.bound_keypair?.recovery, { limit: 1, mode: '' });
  assert.deepEqual(events.map((e) => [e.event, e.token_name, e.code]), [['join_token.create', 'bot-token', 'TJT00I']]);
});

test('create with a predefined registration secret copies it to status', async () => {
  const { admin } = setup();
  const created = await admin.create(token({ onboarding: { registration_secret: 'chosen-secret' } }));
  assert.equal(created.status?.bound_keypair?.registration_secret, 'chosen-secret');
});

test('create with a predefined public key does NOT copy it, nor make a secret', async () => {
  const { admin } = setup();
  const created = await admin.create(token({ onboarding: { initial_public_key: 'ssh-ed25519 AAAAkey' } }));
  assert.equal(created.status?.bound_keypair?.registration_secret, undefined);
  assert.equal(created.status?.bound_keypair?.bound_public_key, undefined);
});

test('create with status preserves the given values', async () => {
  const { admin } = setup();
  const created = await admin.create(token({}, storedStatus));
  assert.deepEqual(created.status?.bound_keypair, storedStatus);
});

test('update with a different status keeps the stored status while applying limit 5 / mode relaxed', async () => {
  const { admin, events } = setup();
  await admin.create(token({}, storedStatus));
  const updated = await admin.apply(token({ recovery: { limit: 5, mode: 'relaxed' } }, { registration_secret: 'other', recovery_count: 0 }));
  assert.deepEqual(updated.spec.bound_keypair?.recovery, { limit: 5, mode: 'relaxed' });
  assert.deepEqual(updated.status?.bound_keypair, storedStatus);
  assert.deepEqual((await admin.get('bot-token')).status?.bound_keypair, storedStatus);
  assert.deepEqual(events.map((e) => e.event), ['join_token.create', 'join_token.update']);
});

test('apply of a non-existent token creates it, honouring its status', async () => {
  const { admin, events } = setup();
  const created = await admin.apply(token({}, storedStatus));
  assert.deepEqual(created.status?.bound_keypair, storedStatus);
  assert.equal((await admin.list()).length, 1);
  assert.deepEqual(events.map((e) => e.event), ['join_token.create']);
});

test('editing onboarding.registration_secret on an existing token does not change the effective secret', async () => {
  const { admin } = setup();
  const first = await admin.create(token());
  const secret = first.status?.bound_keypair?.registration_secret;
  const updated = await admin.apply(token({ onboarding: { registration_secret: 'new-secret' } }));
  assert.equal(updated.spec.bound_keypair?.onboarding?.registration_secret, 'new-secret');
  assert.equal(updated.status?.bound_keypair?.registration_secret, secret);
});

test('adding initial_public_key to an unregistered token keeps the stale secret', async () => {
  const { admin } = setup();
  const first = await admin.create(token({ onboarding: { registration_secret: 'stale' } }));
  assert.equal(first.status?.bound_keypair?.registration_secret, 'stale');
  const updated = await admin.apply(token({ onboarding: { initial_public_key: 'ssh-ed25519 AAAAkey' } }));
  assert.equal(updated.spec.bound_keypair?.onboarding?.initial_public_key, 'ssh-ed25519 AAAAkey');
  assert.equal(updated.status?.bound_keypair?.registration_secret, 'stale');
  assert.equal(updated.status?.bound_keypair?.bound_public_key, undefined);
});

test('apply retries after a concurrent modification', async () => {
  const { admin, store } = setup(new RacingStore(1));
  await admin.create(token({}, storedStatus));
  const updated = await admin.apply(token({ recovery: { limit: 7 } }));
  assert.equal(updated.spec.bound_keypair?.recovery?.limit, 7);
  assert.deepEqual(updated.status?.bound_keypair, storedStatus);
  assert.equal((store as RacingStore).updates, 2);
});

test('apply gives up with LimitExceeded after 3 lost races', async () => {
  const { admin, store } = setup(new RacingStore(99));
  await admin.create(token());
  await assert.rejects(admin.apply(token({ recovery: { limit: 7 } })), (err) => {
    assert.ok(isTraceError(err, 'LimitExceeded'));
    assert.equal(err.message, 'failed to apply bound_keypair token "bot-token" after 3 attempts');
    return true;
  });
  assert.equal((store as RacingStore).updates, 3);
});

test('apply and create validate before writing anything', async () => {
  const { admin, events } = setup();
  await assert.rejects(admin.apply({ kind: 'token' }), kindOf('BadParameter'));
  await assert.rejects(admin.create(token({ recovery: { limit: -1 } })), kindOf('BadParameter'));
  assert.deepEqual(await admin.list(), []);
  assert.deepEqual(events, []);
});

test('create of an existing name fails with AlreadyExists', async () => {
  const { admin } = setup();
  await admin.create(token());
  await assert.rejects(admin.create(token()), kindOf('AlreadyExists'));
});

test('get and delete of a missing token fail with NotFound', async () => {
  const { admin } = setup();
  await assert.rejects(admin.get('nope'), (err) => isTraceError(err, 'NotFound') && err.message === 'token "nope" not found');
  await assert.rejects(admin.delete('nope'), (err) => isTraceError(err, 'NotFound') && err.message === 'token "nope" not found');
});

test('delete removes the token and records an event', async () => {
  const { admin, events } = setup();
  await admin.create(token());
  await admin.delete('bot-token');
  assert.deepEqual(await admin.list(), []);
  assert.deepEqual(events.at(-1), { event: 'join_token.delete', code: 'TJT02I', time: '2025-03-04T05:06:07Z', success: true, token_name: 'bot-token' });
});

test('list is sorted by name', async () => {
  const { admin } = setup();
  for (const name of ['c', 'a', 'b']) await admin.create(token({}, undefined, name));
  assert.deepEqual((await admin.list()).map((t) => t.metadata.name), ['a', 'b', 'c']);
});

test('requestRotation sets rotate_after to the clock\'s now and keeps status', async () => {
  const { admin, clock } = setup();
  await admin.create(token({}, storedStatus));
  clock.advance(1500);
  const rotated = await admin.requestRotation('bot-token');
  assert.equal(rotated.spec.bound_keypair?.rotate_after, '2025-03-04T05:06:08.500Z');
  assert.deepEqual(rotated.status?.bound_keypair, storedStatus);
});

test('requestRotation refuses tokens of other join methods and missing tokens', async () => {
  const { admin } = setup();
  await admin.create({ ...token(), spec: { roles: ['Bot'], bot_name: 'robot', join_method: 'token' } });
  await assert.rejects(admin.requestRotation('bot-token'), kindOf('BadParameter'));
  await assert.rejects(admin.requestRotation('missing'), kindOf('NotFound'));
});

test('tokens of other join methods get no registration secret', async () => {
  const { admin } = setup();
  const created = await admin.create({ ...token(), spec: { roles: ['Node'], join_method: 'token' } });
  assert.equal(created.status, undefined);
});

test('writeStatus stores a status verbatim: no secret is generated, the spec is kept', async () => {
  const { admin } = setup();
  await admin.create(token({ recovery: { limit: 3, mode: 'standard' } }));
  const written = await admin.writeStatus('bot-token', { bound_keypair: { registration_secret: '', recovery_count: 2 } });
  assert.deepEqual(written.status, { bound_keypair: { registration_secret: '', recovery_count: 2 } });
  assert.equal(written.spec.bound_keypair?.recovery?.limit, 3);
  await assert.rejects(admin.writeStatus('bot-token', { bound_keypair: { recovery_count: -1 } }), (e) => isTraceError(e, 'BadParameter'));
  await assert.rejects(admin.writeStatus('missing', {}), (e) => isTraceError(e, 'NotFound'));
});
