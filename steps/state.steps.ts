// What a join left behind on the server, read through the control API:
// tokens, bot instances, locks and audit events. Every rejection scenario
// uses these to prove that a refused join changed nothing.
import { Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { differences, takeSnapshot } from './support/snapshot.js';

Then('nothing changed on the server', async function (this: BkpWorld) {
  assert.ok(this.before, 'no state was recorded before the last join');
  const diff = differences(this.before, await takeSnapshot(this.control));
  assert.deepEqual(diff, [], `the rejected join changed server state:\n${diff.join('\n')}`);
});

async function eventsSinceLastJoin(world: BkpWorld, type: string, token: string): Promise<Json[]> {
  const since = world.before?.lastAuditIndex ?? 0;
  return world.control.listAuditEvents({ event: type, token_name: token, since_index: since });
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
  const status = ((await this.control.getToken(token)).status as Json).bound_keypair as Json;
  const id = String(status.bound_bot_instance_id ?? '');
  assert.ok(id, 'the token has no bound bot instance');
  assert.ok(!this.before?.botInstances.has(id), 'the bound bot instance existed before this join');
  const instance = (await this.control.listBotInstances(bot)).find((i) => (i.metadata as Json).name === id);
  assert.ok(instance, `bot instance ${id} of bot ${bot} is not listed`);
  assert.equal((instance.spec as Json).bot_name, bot);
});
