// Locks (LCK area): an administrator locks a join token, a bot instance or a
// bot's user through the control API, removes locks again, and lets a lock
// expire; joins refused by a lock say so. These are the admin's lock
// operations for every area (a generation scenario locks a token the same
// way); what a join's own lock left behind is in state.steps.ts.
//
// Every sentence names "lock" ("the admin locks …", "… refused by a lock …",
// "the lock on join token …"), so it cannot collide with other areas' steps.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { formatRfc3339 } from './support/values.js';
import { assertServerRefused } from './support/ceremony.js';
import { moveServerClockTo } from './support/clock.js';
import { boundKeypairStatus, lockTarget, locksOnJoinToken, resourceName } from './support/server-state.js';

/** `tctl lock --join-token=… --message=… [--ttl=…]`, `--bot-instance-id`, `--user`. */
async function lock(world: BkpWorld, target: Json, message: string, ttlMs?: number): Promise<void> {
  const spec: Json = { target, message };
  if (ttlMs !== undefined) spec.expires = formatRfc3339(new Date((await world.serverNow()).getTime() + ttlMs));
  const created = await world.control.createLock({ kind: 'lock', version: 'v2', spec });
  assert.deepEqual(lockTarget(created), target, 'the stored lock targets something else than requested');
}

async function listLocksOnJoinToken(world: BkpWorld, token: string): Promise<Json[]> {
  return locksOnJoinToken(await world.control.listLocks(), token);
}

async function onlyLockOnJoinToken(world: BkpWorld, token: string): Promise<Json> {
  const locks = await listLocksOnJoinToken(world, token);
  assert.equal(locks.length, 1, `expected one lock on join token ${token}, found ${JSON.stringify(locks)}`);
  return locks[0] as Json;
}

// ------------------------------------------------------------ the admin

Given('the admin locks the join token {string} with the message {string}', async function (this: BkpWorld, token: string, message: string) {
  await lock(this, { join_token: token }, message);
});

Given('the admin locks the join token {string} for {duration} with the message {string}', async function (this: BkpWorld, token: string, ttlMs: number, message: string) {
  await lock(this, { join_token: token }, message, ttlMs);
});

Given('the admin locks the bot instance bound to token {string} with the message {string}', async function (this: BkpWorld, token: string, message: string) {
  // The admin finds the instance with `tctl bots instances ls`; the token's status names it.
  const instance = String(boundKeypairStatus(await this.control.getToken(token)).bound_bot_instance_id ?? '');
  assert.ok(instance, `setting the scene: token ${token} is bound to no bot instance`);
  await lock(this, { bot_instance_id: instance }, message);
});

Given('the admin locks the user {string} with the message {string}', async function (this: BkpWorld, user: string, message: string) {
  await lock(this, { user }, message);
});

When('the admin removes the lock(s) targeting join token {string}', async function (this: BkpWorld, token: string) {
  // W-7: `tctl get lock`, then `tctl rm lock/<name>` for each lock on the token.
  const locks = await listLocksOnJoinToken(this, token);
  assert.ok(locks.length > 0, `there is no lock on join token ${token} to remove`);
  for (const l of locks) await this.control.deleteLock(resourceName(l));
  assert.deepEqual(await listLocksOnJoinToken(this, token), [], 'a deleted lock is still listed');
});

// ------------------------------------------------------------ the clock

async function lockExpiry(world: BkpWorld, token: string): Promise<number> {
  const expires = (await onlyLockOnJoinToken(world, token)).spec as Json;
  assert.ok(expires.expires, `the lock on join token ${token} has no expiry`);
  return new Date(String(expires.expires)).getTime();
}

async function moveClockTo(world: BkpWorld, target: number): Promise<void> {
  const now = (await world.serverNow()).getTime();
  assert.ok(target >= now, `the server clock already reads past ${new Date(target).toISOString()}`);
  await moveServerClockTo(world, target);
}

When('the server\'s clock reads {int} second(s) before the expiry of the lock on join token {string}', async function (this: BkpWorld, seconds: number, token: string) {
  await moveClockTo(this, (await lockExpiry(this, token)) - seconds * 1000);
});

When('the server\'s clock reaches the expiry of the lock on join token {string}', async function (this: BkpWorld, token: string) {
  await moveClockTo(this, await lockExpiry(this, token));
});

// ------------------------------------------------------------ what the server answered

/** Teleport's lock error: `lock targeting <target> is in force: <message>`, AccessDenied. */
Then('the join is refused by a lock with the message {string}', function (this: BkpWorld, message: string) {
  assertServerRefused(this.outcome(), 'PERMISSION_DENIED', ['lock targeting', 'is in force', message], 'the join (by a lock)');
});

Then('the refusal does not mention the lock on join token {string}', async function (this: BkpWorld, token: string) {
  const o = this.outcome();
  assert.ok(!o.ok, 'the join succeeded');
  const message = String(((await onlyLockOnJoinToken(this, token)).spec as Json).message ?? '');
  for (const text of ['lock targeting', 'is in force', message].filter(Boolean)) {
    assert.ok(!o.end.details.includes(text), `the error "${o.end.details}" reveals the lock ("${text}") to a client that did not prove the key`);
  }
});

Then('exactly {int} lock(s) target(s) join token {string}', async function (this: BkpWorld, count: number, token: string) {
  const locks = await listLocksOnJoinToken(this, token);
  assert.equal(locks.length, count, `locks on join token ${token}: ${JSON.stringify(locks)}`);
});
