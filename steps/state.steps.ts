// What a join left behind on the server, read through the control API:
// tokens, bot instances, locks and audit events. Every rejection scenario
// uses these to prove that a refused join changed nothing.
import { Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { differences, takeSnapshot } from './support/snapshot.js';
import { resolvePlaceholders } from './support/values.js';
import { auditEventsSinceLastJoin, boundKeypairStatus, lockTarget, resourceName } from './support/server-state.js';

Then('nothing changed on the server', async function (this: BkpWorld) {
  assert.ok(this.before, 'no state was recorded before the last join');
  const diff = differences(this.before, await takeSnapshot(this.control));
  assert.deepEqual(diff, [], `the rejected join changed server state:\n${diff.join('\n')}`);
});

/*
 * What a join that locks the token (a failed join state verification, a
 * generation mismatch, a retry of either) leaves: exactly one new lock,
 * targeting the join token and nothing else, whose message contains the
 * text ("saying") or is exactly the text ("saying exactly"); every other
 * token, bot instance and lock exactly as before the join. The text may use
 * the placeholders of support/values.ts.
 */
Then(/^apart from one new lock on token "([^"]+)" saying( exactly)? (?:"([^"]*)"|'([^']*)'), nothing changed on the server$/, async function (this: BkpWorld, token: string, exactly: string | undefined, double: string | undefined, single: string | undefined) {
  assert.ok(this.before, 'no state was recorded before the last join');
  const before = this.before;
  const text = await resolvePlaceholders(this, double ?? single ?? '');
  const after = await takeSnapshot(this.control);
  const added = [...after.locks.values()].filter((l) => !before.locks.has(resourceName(l)));
  assert.equal(added.length, 1, `expected exactly one new lock, got ${JSON.stringify(added)}`);
  const lock = added[0] as Json;
  assert.deepEqual(lockTarget(lock), { join_token: token }, 'the new lock must target the join token and nothing else');
  const message = String((lock.spec as Json).message ?? '');
  if (exactly) assert.equal(message, text, 'the new lock\'s message');
  else assert.ok(message.includes(text), `the new lock says "${message}", not "${text}"`);
  after.locks.delete(resourceName(lock));
  const diff = differences(before, after);
  assert.deepEqual(diff, [], `besides the new lock, the join changed server state:\n${diff.join('\n')}`);
});

Then('no lock was created during the join', async function (this: BkpWorld) {
  assert.ok(this.before, 'no state was recorded before the last join');
  const locks = await this.control.listLocks();
  assert.deepEqual(locks.map(resourceName), [...this.before.locks.keys()], `locks: ${JSON.stringify(locks)}`);
});

async function eventsSinceLastJoin(world: BkpWorld, type: string, token: string): Promise<Json[]> {
  return auditEventsSinceLastJoin(world, { event: type, token_name: token });
}

Then('the audit log has a failed {string} event for token {string}', async function (this: BkpWorld, type: string, token: string) {
  const events = await eventsSinceLastJoin(this, type, token);
  assert.ok(events.some((e) => e.success === false), `no failed ${type} event for ${token} since the last join; got ${JSON.stringify(events)}`);
});

Then('the audit log has a failed {string} event for token {string} saying {string}', async function (this: BkpWorld, type: string, token: string, text: string) {
  const events = await eventsSinceLastJoin(this, type, token);
  assert.ok(
    events.some((e) => e.success === false && String(e.error ?? '').includes(text)),
    `no failed ${type} event for ${token} mentioning "${text}" since the last join; got ${JSON.stringify(events)}`,
  );
});

Then('the audit log has a successful {string} event for token {string}', async function (this: BkpWorld, type: string, token: string) {
  const events = await eventsSinceLastJoin(this, type, token);
  assert.ok(events.some((e) => e.success === true), `no successful ${type} event for ${token} since the last join; got ${JSON.stringify(events)}`);
});

Then('the audit log has no {string} event for token {string}', async function (this: BkpWorld, type: string, token: string) {
  const events = await eventsSinceLastJoin(this, type, token);
  assert.deepEqual(events, [], `expected no ${type} event for ${token} since the last join`);
});

Then('{int} bot instance(s) exist(s) for bot {string}', async function (this: BkpWorld, count: number, bot: string) {
  const instances = await this.control.listBotInstances(bot);
  assert.equal(instances.length, count, `bot instances of ${bot}: ${JSON.stringify(instances.map((i) => (i.metadata as Json).name))}`);
});

Then('the token {string} is bound to a new bot instance of bot {string}', async function (this: BkpWorld, token: string, bot: string) {
  const id = String(boundKeypairStatus(await this.control.getToken(token)).bound_bot_instance_id ?? '');
  assert.ok(id, 'the token has no bound bot instance');
  assert.ok(!this.before?.botInstances.has(id), 'the bound bot instance existed before this join');
  const instance = (await this.control.listBotInstances(bot)).find((i) => (i.metadata as Json).name === id);
  assert.ok(instance, `bot instance ${id} of bot ${bot} is not listed`);
  assert.equal((instance.spec as Json).bot_name, bot);
});
