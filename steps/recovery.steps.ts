// Recovery, limits and modes (the REC area): a bot whose certificates expired
// or were lost joins again with its bound key and nothing else. These steps
// add what the shared join/state/result/clock steps do not say: a bot that
// lost its certificate, the link from the new bot instance to the previous
// one, and the recovery audit event.
//
// Every sentence here speaks of recovery or of a lost certificate, so it
// cannot collide with another area's steps.
import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { JoinRequest } from '../reference/protocol/messages.js';
import { joinStateClaims } from './support/join-state-scene.js';
import { auditEventsSinceLastJoin, boundKeypairStatus, findBotInstance } from './support/server-state.js';

const RECOVERY_EVENT = 'join_token.bound_keypair.recovery';

// ---- helpers -------------------------------------------------------------------

/** The previous_join_state the client actually sent in its BoundKeypairInit during the last join. */
function presentedJoinState(world: BkpWorld): Buffer | undefined {
  for (const w of world.outcome().wire) {
    if (w.direction !== 'client') continue;
    const state = (w.message as JoinRequest).bound_keypair_init?.previous_join_state;
    if (state !== undefined) return state.length > 0 ? Buffer.from(state) : undefined;
  }
  return undefined;
}

/** The bot instance a recovery just bound: new since the join started, and the one the token names now. */
async function recoveredInstance(world: BkpWorld, token: string): Promise<{ instance: Json; previouslyBound: string }> {
  assert.ok(world.before, 'no state was recorded before the last join');
  const previouslyBound = String(boundKeypairStatus(world.before.tokens.get(token)).bound_bot_instance_id ?? '');
  const stored = await world.control.getToken(token);
  const id = String(boundKeypairStatus(stored).bound_bot_instance_id ?? '');
  assert.ok(id, `token "${token}" is bound to no bot instance`);
  assert.notEqual(id, previouslyBound, `token "${token}" is still bound to the instance it was bound to before the join`);
  assert.ok(!world.before.botInstances.has(id), `the bound bot instance ${id} existed before the join`);
  const instance = await findBotInstance(world, id, String((stored.spec as Json).bot_name ?? ''));
  return { instance, previouslyBound };
}

// ---- setting the scene -----------------------------------------------------------

Given('{string} has lost its certificate but kept its key and join state', function (this: BkpWorld, who: string) {
  const client = this.client(who);
  assert.ok(client.identity, `setting the scene: "${who}" had no certificate to lose`);
  assert.ok(client.joinState, `setting the scene: "${who}" holds no join state`);
  delete client.identity;
});

// ---- what the server answered ------------------------------------------------------

Then('the recovery error does not say {string}', function (this: BkpWorld, text: string) {
  const o = this.outcome();
  assert.ok(!o.ok, 'expected the recovery to fail');
  assert.ok(!o.end.details.includes(text), `the error "${o.end.details}" should not say "${text}"`);
});

Then('the recovered bot instance of token {string} names, as its previous instance, the one in the join state {string} presented', async function (this: BkpWorld, token: string, who: string) {
  const presented = presentedJoinState(this);
  assert.ok(presented, `"${who}" presented no join state in its last join`);
  const presentedInstance = String(joinStateClaims(presented).bot_instance_id ?? '');
  const { instance, previouslyBound } = await recoveredInstance(this, token);
  assert.ok(presentedInstance, 'the presented join state names no bot_instance_id');
  assert.equal(presentedInstance, previouslyBound, 'the presented join state should name the instance the token was bound to');
  assert.equal((instance.spec as Json).previous_instance_id, presentedInstance, 'spec.previous_instance_id of the new bot instance');
});

Then('the recovered bot instance of token {string} names no previous instance', async function (this: BkpWorld, token: string) {
  const { instance } = await recoveredInstance(this, token);
  const previous = (instance.spec as Json).previous_instance_id;
  assert.ok(previous === undefined || previous === '', `the new bot instance names a previous instance ${String(previous)}`);
});

Then('the recovered bot instance of token {string} is at generation 1 with recovery count {int}', async function (this: BkpWorld, token: string, count: number) {
  const { instance } = await recoveredInstance(this, token);
  const status = instance.status as Json;
  const initial = status.initial_authentication as Json;
  assert.equal(initial.generation, 1, 'generation of the initial authentication');
  assert.equal(initial.join_token, token, 'join token of the initial authentication');
  assert.equal(initial.recovery_count, count, 'recovery count of the initial authentication');
});

/*
 * Exactly one BoundKeypairRecovery event since the join started. "the bound
 * key" is the key the token was bound to when the join started; for a
 * failure the count must be the unchanged one.
 */
Then(/^the join recorded one (successful|failed) recovery event for token "([^"]*)", naming bot "([^"]*)", the bound key, recovery count (\d+) and mode "([^"]*)"$/, async function (this: BkpWorld, how: string, token: string, bot: string, count: string, mode: string) {
  assert.ok(this.before, 'no state was recorded before the last join');
  const events = await auditEventsSinceLastJoin(this, { event: RECOVERY_EVENT, token_name: token });
  assert.equal(events.length, 1, `expected exactly one ${RECOVERY_EVENT} event for ${token} since the join started, got ${JSON.stringify(events)}`);
  const e = events[0] as Json;
  assert.equal(e.success, how === 'successful', `success of ${JSON.stringify(e)}`);
  assert.equal(e.token_name, token, 'token_name');
  assert.equal(e.bot_name, bot, 'bot_name');
  const bound = String(boundKeypairStatus(this.before.tokens.get(token)).bound_public_key ?? '');
  assert.ok(bound, `token "${token}" had no bound key when the join started`);
  assert.equal(e.public_key, bound, 'public_key: the key bound to the token');
  assert.equal(e.recovery_count, Number(count), 'recovery_count');
  assert.equal(e.recovery_mode ?? '', mode, 'recovery_mode');
});
