// Join state verification (JST area): what a bot holds as its join state and
// what it presents, the admin edits that make a held state stale or wrong,
// and what a failed verification leaves behind — one lock on the token and an
// audit event.
//
// Sentences here start with "the join state", name a kept "copy", or speak
// of the join state lockout, so they do not collide with other areas' steps.
// Copies of a bot's data directory, answers with a thief's own key and
// time passing are the shared sentences of join.steps.ts and clock.steps.ts;
// the admin's token edits are in token-admin.steps.ts.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { compactVerify } from 'jose';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { joinStateClaims, joinStateKid, resignedWithOwnKey, scene } from './support/join-state-scene.js';
import { auditEventsSinceLastJoin, boundKeypairStatus, lockTarget, locksCreatedByLastJoin } from './support/server-state.js';

const JOIN_STATE_FAILED_EVENT = 'join_token.bound_keypair.join_state_verification_failed';

function heldJoinState(world: BkpWorld, who: string): Buffer {
  const state = world.client(who).joinState;
  assert.ok(state && state.length > 0, `setting the scene: "${who}" holds no join state`);
  return state;
}

function keptJoinStateCopy(world: BkpWorld, name: string): Buffer {
  const copy = scene(world).copies.get(name);
  assert.ok(copy, `no copy of a join state was kept as "${name}"`);
  return copy;
}

async function tokenBoundState(world: BkpWorld, token: string): Promise<{ bot: string; instance: string; count: number }> {
  const stored = await world.control.getToken(token);
  const status = boundKeypairStatus(stored);
  return {
    bot: String((stored.spec as Json).bot_name ?? ''),
    instance: String(status.bound_bot_instance_id ?? ''),
    count: Number(status.recovery_count ?? 0),
  };
}

// ------------------------------------------------------------ what a bot holds

Given('{string} keeps a copy of its join state as {string}', function (this: BkpWorld, who: string, name: string) {
  scene(this).copies.set(name, Buffer.from(heldJoinState(this, who)));
});

Given('the join state {string} holds is discarded', function (this: BkpWorld, who: string) {
  heldJoinState(this, who);
  delete this.client(who).joinState;
});

Given('the join state {string} holds is replaced by the bytes {string}', function (this: BkpWorld, who: string, bytes: string) {
  this.client(who).joinState = Buffer.from(bytes);
});

Given('the join state {string} holds is replaced by its copy {string}', function (this: BkpWorld, who: string, name: string) {
  this.client(who).joinState = Buffer.from(keptJoinStateCopy(this, name));
});

/* A scene check: the bot has moved on since it kept the copy (a join gave it a new join state). */
Given('the join state {string} holds differs from its copy {string}', function (this: BkpWorld, who: string, name: string) {
  const copy = keptJoinStateCopy(this, name);
  assert.ok(!copy.equals(heldJoinState(this, who)), `setting the scene: the copy "${name}" is still the join state "${who}" holds`);
});

Given('the join state {string} holds is replaced by a copy re-signed with a key of its own', async function (this: BkpWorld, who: string) {
  const client = this.client(who);
  const forged = await resignedWithOwnKey(heldJoinState(this, who));
  assert.ok(!this.boundKeypairKeys.some((k) => k.kid === joinStateKid(forged)), 'setting the scene: the forged kid happens to be a CA key ID');
  client.joinState = forged;
});

Given('the join state {string} holds is replaced by the one {string} received through token {string}', async function (this: BkpWorld, who: string, other: string, token: string) {
  const state = heldJoinState(this, other);
  // The scene is only right if the other bot's state is the current one of that token.
  const { instance, count } = await tokenBoundState(this, token);
  const claims = joinStateClaims(state);
  assert.equal(claims.bot_instance_id, instance, `setting the scene: the join state "${other}" holds is not the current one of ${token}`);
  assert.equal(claims.recovery_sequence, count, `setting the scene: the join state "${other}" holds is not the current one of ${token}`);
  this.client(who).joinState = Buffer.from(state);
});

/*
 * Documents a client cannot otherwise hold, signed by the cluster's own
 * bound_keypair CA through the control API's test hook (feature
 * join-state-minting). Every other claim is the one the token expects now,
 * so the named difference is the only thing wrong.
 */
async function mintFor(world: BkpWorld, who: string, request: Json): Promise<void> {
  const minted = await world.control.mintJoinState(request);
  world.client(who).joinState = Buffer.from(minted.join_state);
}

Given('the join state {string} holds is replaced by one the cluster\'s CA signed for cluster {string}', async function (this: BkpWorld, who: string, cluster: string) {
  const claims = joinStateClaims(heldJoinState(this, who));
  assert.notEqual(cluster, this.clusterName, 'setting the scene: that is this cluster\'s own name');
  await mintFor(this, who, {
    subject: claims.sub,
    bot_instance_id: claims.bot_instance_id,
    recovery_sequence: claims.recovery_sequence,
    recovery_limit: claims.recovery_limit,
    recovery_mode: claims.recovery_mode,
    cluster_name: cluster,
  });
});

Given('the join state {string} holds is replaced by one the cluster\'s CA signed with recovery_sequence {int}', async function (this: BkpWorld, who: string, sequence: number) {
  const claims = joinStateClaims(heldJoinState(this, who));
  assert.notEqual(sequence, claims.recovery_sequence, 'setting the scene: that is the recovery_sequence alice already holds');
  await mintFor(this, who, {
    subject: claims.sub,
    bot_instance_id: claims.bot_instance_id,
    recovery_sequence: sequence,
    recovery_limit: claims.recovery_limit,
    recovery_mode: claims.recovery_mode,
  });
});

Given('the join state {string} holds is replaced by one the cluster\'s CA signed for a host ID token', async function (this: BkpWorld, who: string) {
  // What an agent (system role Instance) joining through a bound keypair
  // token holds: sub and host_id are its host ID, there is no bot_instance_id.
  const claims = joinStateClaims(heldJoinState(this, who));
  const hostId = '6f0f7c1e-3b7a-4c55-9d1e-2a4b8c9d0e1f';
  await mintFor(this, who, {
    subject: hostId,
    host_id: hostId,
    recovery_sequence: claims.recovery_sequence,
    recovery_limit: claims.recovery_limit,
    recovery_mode: claims.recovery_mode,
  });
});

// ------------------------------------------------------------ admin actions

Given('the admin recreates token {string} from its backup with recovery_count reset to 0', async function (this: BkpWorld, token: string) {
  // tctl get token/<name> --with-secrets > backup.yaml; edit the counter;
  // tctl rm token/<name>; tctl create backup.yaml (create honours a status).
  const backup = await this.control.getToken(token);
  const status = structuredClone(backup.status) as Json;
  const bound = boundKeypairStatus({ status });
  assert.ok(Number(bound.recovery_count ?? 0) > 0, `setting the scene: token ${token} has counted no recovery yet`);
  bound.recovery_count = 0;
  await this.control.deleteToken(token);
  await this.control.createToken({ kind: backup.kind, version: backup.version, metadata: { name: token }, spec: backup.spec, status });
  const restored = boundKeypairStatus(await this.control.getToken(token));
  assert.equal(restored.recovery_count ?? 0, 0, 'the recreated token does not hold recovery_count 0');
  assert.equal(restored.bound_public_key, boundKeypairStatus(backup).bound_public_key, 'the recreated token lost its bound key');
});

When('the admin rotates the cluster\'s bound_keypair CA', async function (this: BkpWorld) {
  const before = new Set(this.boundKeypairKeys.map((k) => String(k.kid)));
  const cluster = await this.control.rotateBoundKeypairCa();
  const keys = cluster.bound_keypair_ca_keys as Record<string, unknown>[];
  for (const kid of before) assert.ok(keys.some((k) => k.kid === kid), `after the rotation the CA no longer lists the old key ${kid}`);
  assert.ok(keys.some((k) => !before.has(String(k.kid))), 'the rotation added no new bound_keypair CA key');
  scene(this).kidsBeforeRotation = before;
  this.boundKeypairKeys = keys;
});

// ------------------------------------------------------------ what the server answered

Then('the returned join state is signed with the bound_keypair CA key that the rotation added', async function (this: BkpWorld) {
  const before = scene(this).kidsBeforeRotation;
  assert.ok(before, 'the CA was not rotated in this scenario');
  const state = this.outcome().result?.bound_keypair_result?.join_state;
  assert.ok(state && state.length > 0, 'the last join returned no join state');
  const kid = joinStateKid(state);
  assert.ok(!before.has(kid), `the join state is still signed with a key from before the rotation (kid ${kid})`);
  const jwk = this.boundKeypairKeys.find((k) => k.kid === kid);
  assert.ok(jwk, `the join state names kid ${kid}, which the cluster does not list`);
  const { kty, crv, x, y } = jwk as Record<string, string | undefined>;
  await compactVerify(state.toString(), createPublicKey({ key: { kty, crv, x, ...(y ? { y } : {}) } as never, format: 'jwk' }));
});

Given('the join state {string} holds was signed by the CA before the rotation', function (this: BkpWorld, who: string) {
  const before = scene(this).kidsBeforeRotation;
  assert.ok(before, 'the CA was not rotated in this scenario');
  const kid = joinStateKid(heldJoinState(this, who));
  assert.ok(before.has(kid), `setting the scene: the join state "${who}" holds is signed with kid ${kid}, not a key from before the rotation`);
});

/*
 * The lock a failed join state verification creates (Teleport's
 * tryLockBotInvalidJoinState): exactly one, targeting only the token, with
 * no expiry, created at the server's time, with Teleport's message.
 */
Then('the join state lockout locked token {string} with the message:', async function (this: BkpWorld, token: string, message: string) {
  const created = await locksCreatedByLastJoin(this);
  assert.equal(created.length, 1, `expected exactly one new lock, got ${JSON.stringify(created)}`);
  const lock = created[0] as Json;
  const spec = lock.spec as Json;
  assert.deepEqual(lockTarget(lock), { join_token: token }, 'the lock must target the join token and nothing else');
  assert.equal(spec.message, message.trim(), 'lock message');
  assert.ok(spec.expires === undefined || spec.expires === null || spec.expires === '', `the lock must not expire, it says ${String(spec.expires)}`);
  assert.ok(spec.created_at, 'the lock has no created_at');
  const created_at = new Date(String(spec.created_at)).getTime();
  const now = (await this.serverNow()).getTime();
  assert.ok(created_at <= now + 1000 && created_at >= now - 5000, `created_at ${String(spec.created_at)} is not the server's time (${new Date(now).toISOString()})`);
});

Then('the audit log has a failed join state verification event for token {string} naming bot {string}', async function (this: BkpWorld, token: string, bot: string) {
  const events = await auditEventsSinceLastJoin(this, { event: JOIN_STATE_FAILED_EVENT, token_name: token });
  assert.equal(events.length, 1, `expected exactly one ${JOIN_STATE_FAILED_EVENT} event for ${token} since the last join, got ${JSON.stringify(events)}`);
  const event = events[0] as Json;
  assert.equal(event.success, false, 'the event must record a failure');
  assert.ok(String(event.error ?? '').length > 0, 'the event must carry the validation error');
  assert.equal(event.token_name, token, 'token_name');
  assert.equal(event.bot_name, bot, 'bot_name');
});
