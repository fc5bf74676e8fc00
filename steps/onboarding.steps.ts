// Onboarding (the ONB area): the first join of a bound keypair token, by a
// pre-registered key or by a registration secret. These steps add what the
// shared join/state/result steps do not say: a token that can never be
// onboarded, a secret typed in the wrong case, the exact key texts the
// server echoes, the new bot instance, and the recovery audit event an
// onboarding leaves.
//
// Every sentence here names onboarding, registration or the onboarding
// result, so it cannot collide with another area's steps.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { findKey } from './support/keys.js';
import { join } from './join.steps.js';
import { joinStateClaims } from './support/join-state-scene.js';
import { auditEventsSinceLastJoin, boundKeypairStatus, findBotInstance } from './support/server-state.js';

const RECOVERY_EVENT = 'join_token.bound_keypair.recovery';

// ---- helpers -------------------------------------------------------------------

function initialPublicKey(token: Json): string {
  const onboarding = ((token.spec as Json).bound_keypair as Json | undefined)?.onboarding as Json | undefined;
  return String(onboarding?.initial_public_key ?? '');
}

function assertFailedWith(world: BkpWorld, texts: string[]): void {
  const o = world.outcome();
  assert.ok(!o.ok, 'expected the onboarding to fail, but it succeeded');
  assert.equal(o.result, undefined, 'a failed join must not return a result');
  assert.notEqual(o.end.code, 0, `the stream ended with OK although no result came (client: ${o.clientError ?? '-'})`);
  assert.ok(texts.some((t) => o.end.details.includes(t)), `the error "${o.end.details}" (${o.end.codeName}) should contain ${texts.map((t) => `"${t}"`).join(' or ')}`);
}

async function boundInstance(world: BkpWorld, token: string): Promise<Json> {
  const stored = await world.control.getToken(token);
  const id = String(boundKeypairStatus(stored).bound_bot_instance_id ?? '');
  assert.ok(id, `token "${token}" is bound to no bot instance`);
  return findBotInstance(world, id, String((stored.spec as Json).bot_name ?? ''));
}

// ---- setting the scene -----------------------------------------------------------

Given('a bound keypair token {string} for bot {string} with neither an initial public key nor a registration secret', async function (this: BkpWorld, name: string, bot: string) {
  // The state Teleport describes as "status wiped, or the secret consumed and
  // the bound key then removed by hand". No admin command produces it (create
  // and apply generate a secret whenever neither key is present, server §1.5),
  // so it takes a raw backend edit of the status: capability raw-status-write.
  await this.control.createToken({
    kind: 'token',
    version: 'v2',
    metadata: { name },
    spec: { roles: ['Bot'], bot_name: bot, join_method: 'bound_keypair', bound_keypair: { onboarding: {}, recovery: { limit: 1, mode: '' } } },
  });
  await this.control.writeTokenStatus(name, { bound_keypair: { registration_secret: '', recovery_count: 0 } });
  const stored = await this.control.getToken(name);
  const status = boundKeypairStatus(stored);
  assert.ok(!initialPublicKey(stored) && !status.registration_secret && !status.bound_public_key, 'the raw status write did not take effect');
});

// ---- joins ---------------------------------------------------------------------------

When('{string} joins with token {string} using the token\'s registration secret in upper case', async function (this: BkpWorld, who: string, token: string) {
  const secret = String(boundKeypairStatus(await this.control.getToken(token)).registration_secret ?? '');
  assert.ok(/[a-f]/.test(secret), `setting the scene: the registration secret of ${token} has no lower-case letter to change`);
  await join(this, who, { tokenName: token, secret: secret.toUpperCase() });
});

// ---- what the server answered ------------------------------------------------------

Then('the onboarding fails with an error naming {string}', function (this: BkpWorld, text: string) {
  assertFailedWith(this, [text]);
});

Then('the onboarding fails with an error naming {string} or {string}', function (this: BkpWorld, a: string, b: string) {
  assertFailedWith(this, [a, b]);
});

Then('the server asked for a new key in the ServerInit\'s signature algorithm suite before sending any challenge', function (this: BkpWorld) {
  const o = this.outcome();
  const fromServer = o.wire.filter((w) => w.direction === 'server').map((w) => w.type);
  const firstRotation = fromServer.findIndex((t) => /rotation/i.test(t));
  const firstChallenge = fromServer.findIndex((t) => /challenge/i.test(t) && !/rotation/i.test(t));
  assert.ok(firstRotation >= 0, `the server sent no rotation request; it sent: ${fromServer.join(', ')}`);
  assert.ok(firstChallenge < 0 || firstRotation < firstChallenge, `the server challenged before asking for a new key: ${fromServer.join(', ')}`);
  const suite = o.serverInit?.signature_algorithm_suite;
  assert.ok(suite, 'the ServerInit named no signature algorithm suite');
  assert.equal(o.rotationRequests[0]?.signature_algorithm_suite, suite, 'the rotation request\'s suite');
});

Then('every challenge named the initial public key of token {string} verbatim', async function (this: BkpWorld, token: string) {
  const initial = initialPublicKey(await this.control.getToken(token));
  const o = this.outcome();
  assert.ok(o.challenges.length > 0, 'the server sent no challenge');
  for (const c of o.challenges) assert.equal(c.public_key?.toString('utf8'), initial, 'challenge public_key');
});

Then('the onboarding result and the token {string} both name its initial public key verbatim', async function (this: BkpWorld, token: string) {
  const stored = await this.control.getToken(token);
  const initial = initialPublicKey(stored);
  assert.ok(initial, `token ${token} has no initial public key`);
  assert.equal(boundKeypairStatus(stored).bound_public_key, initial, 'status.bound_keypair.bound_public_key');
  assert.equal(this.outcome().result?.bound_keypair_result?.public_key?.toString('utf8'), initial, 'BoundKeypairResult.public_key');
});

Then('the onboarding result names the key now bound to token {string}, with a join state', async function (this: BkpWorld, token: string) {
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  const result = this.outcome().result?.bound_keypair_result;
  assert.ok(bound, `token ${token} has no bound key`);
  assert.equal(result?.public_key?.toString('utf8'), bound, 'BoundKeypairResult.public_key vs status.bound_public_key');
  assert.ok((result?.join_state?.length ?? 0) > 0, 'the result carries no join state');
});

Then('the onboarding join state was issued at the server\'s current time, valid from 10 seconds earlier', async function (this: BkpWorld) {
  const state = this.outcome().result?.bound_keypair_result?.join_state;
  assert.ok(state && state.length > 0, 'the last join returned no join state');
  const claims = joinStateClaims(state);
  const now = Math.floor((await this.serverNow()).getTime() / 1000);
  assert.equal(claims.iat, now, 'iat');
  assert.equal(claims.nbf, now - 10, 'nbf');
});

Then('the bot instance bound to token {string} is at generation 1 and has no previous instance', async function (this: BkpWorld, token: string) {
  const instance = await boundInstance(this, token);
  const spec = instance.spec as Json;
  assert.ok(!spec.previous_instance_id, `the new instance names a previous instance ${String(spec.previous_instance_id)}`);
  const status = instance.status as Json;
  const initial = status.initial_authentication as Json;
  const latest = (status.latest_authentications as Json[]).at(-1);
  assert.equal(initial.generation, 1, 'generation of the initial authentication');
  assert.equal(latest?.generation, 1, 'generation of the latest authentication');
  assert.equal(initial.join_token, token, 'join token of the initial authentication');
  assert.equal(initial.join_method, 'bound_keypair', 'join method of the initial authentication');
});

Then(/^the recovery audit event of this onboarding (succeeded|failed) for token "([^"]*)", naming the public key of "([^"]*)" and recovery count (\d+)$/, async function (this: BkpWorld, how: string, token: string, who: string, count: string) {
  const events = await auditEventsSinceLastJoin(this, { event: RECOVERY_EVENT, token_name: token });
  assert.equal(events.length, 1, `expected exactly one ${RECOVERY_EVENT} event for ${token} since the last join, got ${JSON.stringify(events)}`);
  const event = events[0] as Json;
  assert.equal(event.success, how === 'succeeded', `success of ${JSON.stringify(event)}`);
  const key = this.client(who).keys[0];
  assert.ok(key, `bot client "${who}" holds no key`);
  assert.ok(findKey([key], String(event.public_key ?? '')), `the event names the key ${String(event.public_key)}, not ${who}'s ${key.authorizedKey}`);
  assert.equal(event.recovery_count, Number(count), 'recovery_count in the event');
});
