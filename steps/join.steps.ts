// Bots joining: honest joins with the state a bot keeps between joins, the
// adversaries every area needs (copies of a bot's data directory, a client
// answering with its own key), and what the server answered.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import { scenarioState } from './support/world.js';
import type { JoinPlan, JoinOutcome } from './support/ceremony.js';
import { assertServerRefused, runJoin, signingWith, suiteKeyAlgorithm } from './support/ceremony.js';
import { newKey, keyTypeFromWords, findKey } from './support/keys.js';
import { takeSnapshot } from './support/snapshot.js';
import type { CopiedParts } from './support/bot-memory.js';
import { certificateStillValid, copyOfBot, rememberResult } from './support/bot-memory.js';
import { boundInstanceId, boundKeypairStatus } from './support/server-state.js';

Given('a bot client {string} with a(n) {keytype} keypair', function (this: BkpWorld, name: string, keytype: string) {
  this.clients.set(name, { name, keys: [newKey(keyTypeFromWords(keytype))] });
});

Given('a bot client {string} with no keypair yet', function (this: BkpWorld, name: string) {
  this.clients.set(name, { name, keys: [] });
});

/*
 * A copy of (part of) what a bot keeps on disk, taken now: its keypair, its
 * latest certificate and its latest join state — a thief's loot, a CI job
 * that keeps only the key, a cloned VM. A copy without the keypair holds a
 * key of its own, and says so.
 */
const COPIES: Record<string, CopiedParts> = {
  'a copy of the keypair': { keypair: true, certificate: false, joinState: false },
  'copies of the keypair and the join state': { keypair: true, certificate: false, joinState: true },
  'copies of the keypair, the certificate and the join state': { keypair: true, certificate: true, joinState: true },
  'copies of the certificate and the join state': { keypair: false, certificate: true, joinState: true },
};

Given(/^a bot client "([^"]+)" holding (a copy of the keypair|copies of the keypair and the join state|copies of the keypair, the certificate and the join state|copies of the certificate and the join state) of "([^"]+)"( but a keypair of its own)?$/, function (this: BkpWorld, name: string, what: string, original: string, ownKeypair: string | undefined) {
  const parts = COPIES[what];
  assert.ok(parts, `unknown copy "${what}"`);
  assert.equal(Boolean(ownKeypair), !parts.keypair, parts.keypair ? 'a copy with the keypair holds no keypair of its own' : `say "${what} of "${original}" but a keypair of its own"`);
  this.clients.set(name, copyOfBot(this.client(original), name, parts));
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

Given('{string} has completed a join with token {string}', async function (this: BkpWorld, who: string, token: string) {
  const o = await join(this, who, { tokenName: token });
  assert.ok(o.ok, `the join should have succeeded, but it ended with ${o.end.codeName}: ${o.end.details}`);
  // From now on the bot presents this certificate while it is valid, as tbot does.
  assert.ok((o.result?.certificates?.tls_cert?.length ?? 0) > 0, 'the result has no TLS certificate');
});

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

/** The bot instances token was bound to across the last "… has recovered N times …", the one before first. */
export const recoveryLineage = scenarioState(() => ({ instances: [] as string[] }));

Given('{string} has recovered {int} time(s) with token {string}', { timeout: 120_000 }, async function (this: BkpWorld, who: string, times: number, token: string) {
  const lineage = recoveryLineage(this);
  lineage.instances = [await boundInstanceId(this, token)];
  for (let i = 1; i <= times; i++) {
    const o = await join(this, who, { tokenName: token, identity: undefined });
    assert.ok(o.ok, `recovery ${i} of ${times} ended with ${o.end.codeName}: ${o.end.details}`);
    lineage.instances.push(await boundInstanceId(this, token));
  }
});

/*
 * An adversary holding some other key (or a copy of the certificate but not
 * the key): whatever key the server names, it answers every challenge with a
 * valid signature by its own key. joins = as tbot would; renews = presenting
 * its certificate; recovers = presenting none.
 */
When(/^"([^"]+)" (joins|renews|recovers) with token "([^"]+)"(?: using the registration secret "([^"]*)")?, signing the challenge with its own key$/, async function (this: BkpWorld, who: string, how: string, token: string, secret: string | undefined) {
  const own = this.client(who).keys[0];
  assert.ok(own, `"${who}" holds no key of its own to sign with`);
  await join(this, who, { ...planFor(this, who, how as JoinVerb, token, secret ?? undefined), respond: signingWith(own) });
});

export type JoinVerb = 'joins' | 'renews' | 'recovers';

/**
 * What a sentence's verb means for a join: "joins" decides as tbot does,
 * "renews" presents the bot's certificate, "recovers" presents none; a
 * registration secret only goes with "joins".
 */
export function planFor(world: BkpWorld, who: string, verb: JoinVerb, token: string, secret?: string): Partial<JoinPlan> & { tokenName: string } {
  const client = world.client(who);
  const plan: Partial<JoinPlan> & { tokenName: string } = { tokenName: token };
  if (secret !== undefined) {
    assert.equal(verb, 'joins', 'a registration secret goes with "joins"');
    plan.secret = secret;
  }
  if (verb === 'renews') {
    assert.ok(client.identity, `"${who}" holds no certificate to renew with`);
    plan.identity = client.identity;
  }
  if (verb === 'recovers') plan.identity = undefined;
  return plan;
}

async function tokenRegistrationSecret(world: BkpWorld, token: string): Promise<string> {
  const secret = String(boundKeypairStatus(await world.control.getToken(token)).registration_secret ?? '');
  assert.ok(secret, `token "${token}" has no registration secret in its status`);
  return secret;
}

When('{string} joins with token {string} using the registration secret {string}', async function (this: BkpWorld, who: string, token: string, secret: string) {
  await join(this, who, { tokenName: token, secret });
});

When("{string} joins with token {string} using the token's registration secret", async function (this: BkpWorld, who: string, token: string) {
  await join(this, who, { tokenName: token, secret: await tokenRegistrationSecret(this, token) });
});

/*
 * Registration with a secret, fumbling the key step: the client gives up
 * when asked for its new key, names a key it does not hold (and answers the
 * challenge for it with another one), or sends a public key that does not
 * parse.
 */
When(/^"([^"]+)" joins with token "([^"]+)" using (?:the registration secret "([^"]*)"|(the token's registration secret)) but (gives up when asked for a new key|offers a key it cannot sign for|offers a malformed public key)$/, async function (this: BkpWorld, who: string, token: string, literal: string | undefined, fromToken: string | undefined, failure: string) {
  const secret = fromToken ? await tokenRegistrationSecret(this, token) : literal ?? '';
  const plan: Partial<JoinPlan> & { tokenName: string } = { tokenName: token, secret };
  if (failure === 'gives up when asked for a new key') {
    plan.onRotationRequest = () => 'give-up';
  } else if (failure === 'offers a key it cannot sign for') {
    plan.onRotationRequest = (request) => newKey(suiteKeyAlgorithm(request.signature_algorithm_suite));
    plan.respond = signingWith(newKey('ed25519'));
  } else {
    plan.onRotationRequest = (request) => ({ ...newKey(suiteKeyAlgorithm(request.signature_algorithm_suite)), authorizedKey: 'ssh-ed25519 AAAA!not-base64! robot@laptop' });
  }
  await join(this, who, plan);
});

When('{string} joins with token {string} as system role {string}', async function (this: BkpWorld, who: string, token: string, role: string) {
  await join(this, who, { tokenName: token, role });
});

When('{string} joins with token {string} requesting join method {string}', async function (this: BkpWorld, who: string, token: string, method: string) {
  await join(this, who, { tokenName: token, joinMethod: method });
});

Then('the join succeeds', function (this: BkpWorld) {
  const o = this.outcome();
  assert.ok(o.ok, `expected the join to succeed, but it ended with ${o.end.codeName}: ${o.end.details}${o.clientError ? ` (client: ${o.clientError})` : ''}`);
});

Then('the join fails with {grpcstatus} {string}', function (this: BkpWorld, status: string, text: string) {
  assertServerRefused(this.outcome(), status, [text]);
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

// Counted from the server's own record of the attempt (control API feature
// join-attempts), not from what the suite's client believes it received.
Then('the server recorded {int} challenge(s) and {int} rotation request(s) in the last join through token {string}', async function (this: BkpWorld, challenges: number, rotations: number, token: string) {
  const attempts = await this.control.listJoinAttempts(token);
  const last = attempts.at(-1);
  assert.ok(last, `the server recorded no join attempt through token ${token}`);
  const sent = (last.messages as { from: string; type: string }[]).filter((m) => m.from === 'server').map((m) => m.type);
  assert.equal(sent.filter((t) => t === '*messages.BoundKeypairChallenge').length, challenges, `challenges the server sent: ${sent.join(', ')}`);
  assert.equal(sent.filter((t) => t === '*messages.BoundKeypairRotationRequest').length, rotations, `rotation requests the server sent: ${sent.join(', ')}`);
});
