// Bots joining: honest joins with the state a bot keeps between joins, and
// what the server answered.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { JoinPlan, JoinOutcome } from './support/ceremony.js';
import { runJoin } from './support/ceremony.js';
import { newKey, keyTypeFromWords, findKey } from './support/keys.js';
import { takeSnapshot } from './support/snapshot.js';
import { certificateStillValid, rememberResult } from './support/bot-memory.js';

Given('a bot client {string} with a(n) {keytype} keypair', function (this: BkpWorld, name: string, keytype: string) {
  this.clients.set(name, { name, keys: [newKey(keyTypeFromWords(keytype))] });
});

Given('a bot client {string} holding the same keypair as {string}', function (this: BkpWorld, name: string, other: string) {
  const key = this.client(other).keys[0];
  if (!key) throw new Error(`${other} holds no key to share`);
  this.clients.set(name, { name, keys: [key] });
});

Given('a bot client {string} with no keypair yet', function (this: BkpWorld, name: string) {
  this.clients.set(name, { name, keys: [] });
});

/**
 * Runs a join for a bot client the way tbot does, snapshotting the server
 * first: it sends its latest join state, presents its certificate while that
 * is still valid on the server's clock (a renewal) and joins without one
 * otherwise (a recovery), and keeps what a bot keeps. A plan that sets
 * `identity` (even to undefined) decides for itself.
 */
export async function join(world: BkpWorld, clientName: string, plan: Partial<JoinPlan> & { tokenName: string }): Promise<JoinOutcome> {
  const client = world.client(clientName);
  world.before = await takeSnapshot(world.control);
  const subjectKey = plan.subjectKey ?? newKey('ecdsa-p256');
  const identity = 'identity' in plan ? plan.identity : await certificateStillValid(world, client);
  const { identity: _decided, ...rest } = plan;
  const full: JoinPlan = {
    keys: client.keys,
    ...(client.joinState ? { joinState: client.joinState } : {}),
    ...rest,
    subjectKey,
    ...(identity ? { identity } : {}),
  };
  const outcome = await runJoin(world.join, full);
  world.lastOutcome = outcome;
  world.lastClient = clientName;
  if (outcome.ok) rememberResult(client, outcome, subjectKey);
  return outcome;
}

When('{string} joins with token {string}', async function (this: BkpWorld, who: string, token: string) {
  await join(this, who, { tokenName: token });
});

When('{string} renews with token {string}', async function (this: BkpWorld, who: string, token: string) {
  const identity = this.client(who).identity;
  assert.ok(identity, `${who} holds no certificate to renew with`);
  await join(this, who, { tokenName: token, identity });
});

When('{string} recovers with token {string}', async function (this: BkpWorld, who: string, token: string) {
  // As after a restart with lost or expired certificates: no identity is presented.
  await join(this, who, { tokenName: token, identity: undefined });
});

When('{string} joins with token {string} using the registration secret {string}', async function (this: BkpWorld, who: string, token: string, secret: string) {
  await join(this, who, { tokenName: token, secret });
});

When("{string} joins with token {string} using the token's registration secret", async function (this: BkpWorld, who: string, token: string) {
  const stored = await this.control.getToken(token);
  const secret = String(((stored.status as Record<string, Record<string, unknown>> | undefined)?.bound_keypair?.registration_secret) ?? '');
  assert.ok(secret, `token "${token}" has no registration secret in its status`);
  await join(this, who, { tokenName: token, secret });
});

When('{string} joins with token {string} as system role {string}', async function (this: BkpWorld, who: string, token: string, role: string) {
  await join(this, who, { tokenName: token, role });
});

When('{string} joins with token {string} requesting join method {string}', async function (this: BkpWorld, who: string, token: string, method: string) {
  await join(this, who, { tokenName: token, joinMethod: method });
});

When('{string} joins with token {string} and gives up when asked for a new key', async function (this: BkpWorld, who: string, token: string) {
  const stored = await this.control.getToken(token);
  const secret = String(((stored.status as Record<string, Record<string, unknown>> | undefined)?.bound_keypair?.registration_secret) ?? '');
  await join(this, who, { tokenName: token, ...(secret ? { secret } : {}), onRotationRequest: () => 'give-up' });
});

Then('the join succeeds', function (this: BkpWorld) {
  const o = this.outcome();
  assert.ok(o.ok, `expected the join to succeed, but it ended with ${o.end.codeName}: ${o.end.details}${o.clientError ? ` (client: ${o.clientError})` : ''}`);
});

Then('the join fails with {grpcstatus} {string}', function (this: BkpWorld, status: string, text: string) {
  const o = this.outcome();
  assert.ok(!o.ok, 'expected the join to fail, but it succeeded');
  // A refusal proves nothing if the suite's own client walked away first.
  assert.equal(o.clientError, undefined, `the client stopped on its own (${o.clientError}); the server's refusal was not tested`);
  assert.equal(o.end.codeName, status, `status (details: ${o.end.details})`);
  assert.ok(o.end.details.includes(text), `the error "${o.end.details}" should contain "${text}"`);
  assert.equal(o.result, undefined, 'a failed join must not return a result');
});

Then('the server sent {int} challenge(s) and {int} rotation request(s)', function (this: BkpWorld, challenges: number, rotations: number) {
  const o = this.outcome();
  assert.equal(o.challenges.length, challenges, 'challenges');
  assert.equal(o.rotationRequests.length, rotations, 'rotation requests');
});

Then('the server challenged the public key of {string}', function (this: BkpWorld, who: string) {
  const o = this.outcome();
  const key = this.client(who).keys[0];
  assert.ok(key, `${who} holds no key`);
  const named = o.challenges.map((c) => c.public_key?.toString('utf8'));
  assert.ok(named.length > 0, 'the server sent no challenge');
  assert.ok(findKey([key], named[0] ?? ''), `the first challenge named ${named[0]}, not ${who}'s key ${key.authorizedKey}`);
});

Then('the server challenged the key {string} offered in its rotation request', function (this: BkpWorld, who: string) {
  const o = this.outcome();
  const offered = o.offeredKeys[0];
  assert.ok(offered, `${who} offered no key`);
  const last = o.challenges.at(-1)?.public_key?.toString('utf8') ?? '';
  assert.ok(findKey([offered], last), `the last challenge named ${last}, not the offered key`);
});

Then('the ServerInit announced join method {string} and the cluster\'s signature algorithm suite', function (this: BkpWorld, method: string) {
  const init = this.outcome().serverInit;
  assert.ok(init, 'no ServerInit was received');
  assert.equal(init.join_method, method);
  assert.equal(init.signature_algorithm_suite, this.suite);
});

Then('no ServerInit was sent', function (this: BkpWorld) {
  assert.equal(this.outcome().serverInit, undefined, 'the server sent ServerInit before refusing');
});
