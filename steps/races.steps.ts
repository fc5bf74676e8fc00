// Races (the RACE area): several joins through one token at the same moment,
// admin edits and competing status writes in the middle of a join, and two
// auth servers sharing one store. The racing itself is in
// support/races-runner.ts; these sentences set the scene and read the
// outcome back through the control API.
//
// Every sentence here speaks of racers, the race, a mid-join edit, a
// competing writer or a second server, so it cannot collide with another
// area's steps.
import { Given, When, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { compactVerify, createLocalJWKSet } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { parseIdentityCertificate } from '../reference/crypto/index.js';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { JoinOutcome } from './support/ceremony.js';
import type { KeyHolder } from './support/keys.js';
import { findKey } from './support/keys.js';
import { takeSnapshot } from './support/snapshot.js';
import { setPath, typedValue } from './support/values.js';
import { copyOfBot } from './support/bot-memory.js';
import { signingWith } from './support/ceremony.js';
import { boundKeypairStatus } from './support/server-state.js';
import { join } from './join.steps.js';
import { clientJoin, describeRace, finalOutcome, lastRace, losers, runRace, theWinner, winners } from './support/races-runner.js';
import type { Race, RacerMove, RacerRun, ServerChoice } from './support/races-runner.js';
import { secondServer, startSecondServer } from './support/races-second-server.js';

const RECOVERY_EVENT = 'join_token.bound_keypair.recovery';
const GENERATION_MISMATCH_EVENT = 'cert.generation_mismatch';

// ---- helpers ---------------------------------------------------------------------

function instanceIdOfCertificate(outcome: JoinOutcome): string {
  const der = outcome.result?.certificates?.tls_cert;
  assert.ok(der && der.length > 0, 'the join returned no TLS certificate');
  const id = parseIdentityCertificate(der).botInstanceId;
  assert.ok(id, 'the certificate names no bot instance');
  return id;
}

/** The verified claims of a join state the cluster's bound_keypair CA signed. */
async function joinStateClaims(world: BkpWorld, outcome: JoinOutcome): Promise<Json> {
  const jws = outcome.result?.bound_keypair_result?.join_state?.toString('utf8') ?? '';
  assert.ok(jws, 'the join returned no join state');
  const keys = createLocalJWKSet({ keys: world.boundKeypairKeys } as unknown as JSONWebKeySet);
  const { payload } = await compactVerify(jws, keys, { algorithms: ['ES256', 'EdDSA'] });
  return JSON.parse(Buffer.from(payload).toString('utf8')) as Json;
}

function describeOutcome(o: JoinOutcome): string {
  return o.ok ? 'OK' : `${o.end.codeName}: ${o.end.details}${o.clientError ? ` (client: ${o.clientError})` : ''}`;
}

function assertRefused(run: RacerRun, o: JoinOutcome): void {
  assert.ok(!o.ok, `${run.racer} succeeded`);
  // A refusal proves nothing if the suite's own client walked away first.
  assert.equal(o.clientError, undefined, `${run.racer} stopped on its own (${o.clientError}); the server's refusal was not tested`);
  assert.equal(o.result, undefined, `${run.racer} was refused but received a result`);
}

function pickRacer(race: Race, which: string): RacerRun {
  if (which === 'the winning') return theWinner(race);
  const lost = losers(race);
  assert.ok(lost.length > 0, `no racer lost:${describeRace(race)}`);
  if (which === 'the losing') assert.equal(lost.length, 1, `more than one racer lost; say "a losing racer":${describeRace(race)}`);
  return lost[0] as RacerRun;
}

async function eventsSince(world: BkpWorld, since: number, type: string, token: string): Promise<Json[]> {
  return world.control.listAuditEvents({ event: type, token_name: token, since_index: since });
}

/** Competing status writes made in this scenario, by token. */
const writtenStatus = new WeakMap<BkpWorld, Map<string, Json>>();

/** Runs one join of `who` through the chosen server, remembering the state before it for the shared "what changed" steps. */
async function joinThrough(world: BkpWorld, who: string, token: string, move: RacerMove, server: ServerChoice, extra: { secret?: string; respond?: Parameters<typeof clientJoin>[2]['respond'] } = {}): Promise<JoinOutcome> {
  world.before = await takeSnapshot(world.control);
  const outcome = await clientJoin(world, who, { tokenName: token, move, server, ...extra });
  world.lastOutcome = outcome;
  world.lastClient = who;
  return outcome;
}

// ---- setting the scene --------------------------------------------------------------

/*
 * Clones of a bot: "racer 1" … "racer N", each with the same key, the same
 * join state and the same certificate as the original — a VM image with the
 * bot's state directory baked in, started N times. (A single copy under a
 * name of its own is the shared 'a bot client "…" holding copies of …'.)
 */
Given('{int} racers start from copies of {string}\'s keypair, join state and certificate', function (this: BkpWorld, count: number, original: string) {
  for (let i = 1; i <= count; i++) {
    this.clients.set(`racer ${i}`, copyOfBot(this.client(original), `racer ${i}`, { keypair: true, certificate: true, joinState: true }));
  }
});

Given('a second auth server sharing the store of the first', async function (this: BkpWorld) {
  await startSecondServer(this);
});

// ---- races ----------------------------------------------------------------------------

function racerNames(world: BkpWorld): string[] {
  const names = [...world.clients.keys()].filter((n) => /^racer \d+$/.test(n));
  assert.ok(names.length > 0, 'setting the scene: no racers; add \'Given N racers start from copies of "…"\'s keypair, join state and certificate\'');
  return names.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
}

When(/^the racers all (recover|renew) with token "([^"]+)" at once(, alternating between the two servers)?(, each retrying after "please try again")?$/, async function (this: BkpWorld, verb: string, token: string, alternating: string | undefined, retrying: string | undefined) {
  const names = racerNames(this);
  await runRace(this, {
    token,
    move: verb === 'renew' ? 'renew' : 'recover',
    racers: names.map((name, i) => ({ name, server: alternating && i % 2 === 1 ? 'second' : 'first' })),
    // A racer can lose only to a commit made after it read the token, and
    // there are as many commits as racers: N attempts always suffice.
    ...(retrying ? { retryUpTo: names.length + 2 } : {}),
  });
});

When('{string} and {string} race to register with token {string} using the registration secret {string}', async function (this: BkpWorld, a: string, b: string, token: string, secret: string) {
  await runRace(this, { token, move: 'register', secret, racers: [{ name: a, server: 'first' }, { name: b, server: 'first' }] });
});

When(/^(the winning|the losing|a losing) racer (recovers|renews) with token "([^"]+)"(?: again)?(?: through the (first|second) server)?$/, async function (this: BkpWorld, which: string, verb: string, token: string, server: string | undefined) {
  const run = pickRacer(lastRace(this), which);
  await joinThrough(this, run.racer, token, verb === 'renews' ? 'renew' : 'recover', (server as ServerChoice | undefined) ?? 'first');
});

When(/^"([^"]+)" (recovers|renews) with token "([^"]+)" through the (first|second) server$/, async function (this: BkpWorld, who: string, verb: string, token: string, server: string) {
  await joinThrough(this, who, token, verb === 'renews' ? 'renew' : 'recover', server as ServerChoice);
});

When('the losing racer joins with token {string} using the registration secret {string} again, signing the challenge with its own key', async function (this: BkpWorld, token: string, secret: string) {
  const run = pickRacer(lastRace(this), 'the losing');
  const own = this.client(run.racer).keys[0];
  assert.ok(own, `${run.racer} kept no key from its registration attempt`);
  await joinThrough(this, run.racer, token, 'register', 'first', { secret, respond: signingWith(own) });
});

// ---- a write in the middle of a join -------------------------------------------------------

type MidJoinWrite = (world: BkpWorld, token: string) => Promise<void>;

/*
 * One join of `who` on the first server, with `write` run once when the
 * first challenge arrives: the server has read the token, and commits
 * nothing until the answer. joins = as tbot would (renews while its
 * certificate is valid), with a registration secret if one is named;
 * recovers = no certificate; renews = its certificate.
 */
async function joinWithMidJoinWrite(world: BkpWorld, who: string, verb: string, token: string, secret: string | undefined, write: MidJoinWrite): Promise<void> {
  let written = false;
  const beforeAnswer = async (index: number) => {
    if (index !== 0 || written) return;
    written = true;
    await write(world, token);
  };
  const plan: Parameters<typeof join>[2] = { tokenName: token, beforeAnswer, ...(secret !== undefined ? { secret } : {}) };
  if (verb === 'recovers') plan.identity = undefined;
  if (verb === 'renews') {
    const identity = world.client(who).identity;
    assert.ok(identity, `${who} holds no certificate to renew with`);
    plan.identity = identity;
  }
  await join(world, who, plan);
  assert.ok(written, `the mid-join write never happened: the server sent no challenge (${describeOutcome(world.outcome())})`);
}

When(/^"([^"]+)" (joins|recovers|renews) with token "([^"]+)"(?: using the registration secret "([^"]*)")? while the admin, mid-join, changes the token:$/, async function (this: BkpWorld, who: string, verb: string, token: string, secret: string | undefined, table: DataTable) {
  await joinWithMidJoinWrite(this, who, verb, token, secret, async (world) => {
    // What `tctl create -f` does with an edited copy: the whole token, status left to the server.
    const stored = await world.control.getToken(token);
    const edited: Json = { kind: stored.kind, version: stored.version, metadata: { name: token }, spec: structuredClone(stored.spec) };
    for (const [field, raw] of table.raw()) {
      const path = /^(metadata|spec)\./.test(field ?? '') ? (field as string) : `spec.bound_keypair.${field}`;
      setPath(edited, path, await typedValue(world, raw ?? ''));
    }
    world.tokensBeforeAdmin = await world.control.listTokens();
    const res = await world.control.raw('PUT', `tokens/${encodeURIComponent(token)}`, edited);
    world.lastAdmin = { status: res.status, body: res.body as Json };
  });
});

/*
 * A competing writer changes one field of status.bound_keypair behind the
 * join's back (a raw backend write: capability raw-status-write), as a
 * concurrent join or a restore would.
 */
When(/^"([^"]+)" (joins|recovers) with token "([^"]+)"(?: using the registration secret "([^"]*)")? while a competing writer, mid-join, sets the status field (\w+) to (.+)$/, async function (this: BkpWorld, who: string, verb: string, token: string, secret: string | undefined, field: string, raw: string) {
  await joinWithMidJoinWrite(this, who, verb, token, secret, async (world) => {
    const stored = await world.control.getToken(token);
    const status = structuredClone((stored.status as Json | undefined) ?? {});
    setPath(status, `bound_keypair.${field}`, await typedValue(world, raw));
    const written = await world.control.writeTokenStatus(token, status);
    const map = writtenStatus.get(world) ?? new Map<string, Json>();
    map.set(token, written.status as Json);
    writtenStatus.set(world, map);
  });
});

// ---- who won ------------------------------------------------------------------------------

Then(/^(exactly|at most) (\d+) racers? succeeds?$/, function (this: BkpWorld, how: string, count: string) {
  const race = lastRace(this);
  const won = winners(race).length;
  if (how === 'exactly') assert.equal(won, Number(count), `racers that succeeded:${describeRace(race)}`);
  else assert.ok(won <= Number(count), `${won} racers succeeded, at most ${count} may:${describeRace(race)}`);
});

Then('every racer succeeds within {int} attempts', function (this: BkpWorld, limit: number) {
  const race = lastRace(this);
  for (const run of race.runs) {
    assert.ok(finalOutcome(run).ok, `${run.racer} never succeeded:${describeRace(race)}`);
    assert.ok(run.attempts.length <= limit, `${run.racer} needed ${run.attempts.length} attempts:${describeRace(race)}`);
  }
});

/*
 * All racers read the token before anyone committed, so only one of their
 * first attempts can commit: every other first attempt must be turned away.
 */
Then('exactly one racer succeeded at its first attempt, and every other first attempt was turned away with {string}', function (this: BkpWorld, text: string) {
  const race = lastRace(this);
  const first = race.runs.map((r) => ({ run: r, outcome: r.attempts[0] as JoinOutcome }));
  assert.equal(first.filter((f) => f.outcome.ok).length, 1, `first attempts that succeeded:${describeRace(race)}`);
  for (const f of first.filter((x) => !x.outcome.ok)) {
    assertRefused(f.run, f.outcome);
    assert.ok(f.outcome.end.details.includes(text), `${f.run.racer}'s first attempt ended "${f.outcome.end.details}", not "${text}"`);
  }
});

Then('every losing racer fails with {grpcstatus} {string}', function (this: BkpWorld, status: string, text: string) {
  const race = lastRace(this);
  const lost = losers(race);
  assert.ok(lost.length > 0, `no racer lost:${describeRace(race)}`);
  for (const run of lost) {
    const o = finalOutcome(run);
    assertRefused(run, o);
    assert.equal(o.end.codeName, status, `${run.racer}'s status (details: ${o.end.details})`);
    assert.ok(o.end.details.includes(text), `${run.racer}'s error "${o.end.details}" should contain "${text}"`);
  }
});

Then('every losing racer\'s error also says {string}', function (this: BkpWorld, text: string) {
  const race = lastRace(this);
  for (const run of losers(race)) {
    const o = finalOutcome(run);
    assert.ok(o.end.details.includes(text), `${run.racer}'s error "${o.end.details}" should also contain "${text}"`);
  }
});

Then('the token {string} is bound to the winning racer\'s bot instance', async function (this: BkpWorld, token: string) {
  const race = lastRace(this);
  const winner = theWinner(race);
  const id = instanceIdOfCertificate(finalOutcome(winner));
  const stored = await this.control.getToken(token);
  assert.equal(boundKeypairStatus(stored).bound_bot_instance_id, id, `status.bound_keypair.bound_bot_instance_id should name ${winner.racer}'s bot instance`);
  assert.ok(!race.before.botInstances.has(id), `${winner.racer}'s bot instance existed before the race`);
  const bot = String((stored.spec as Json).bot_name ?? '');
  const listed = (await this.control.listBotInstances(bot)).some((i) => (i.metadata as Json).name === id);
  assert.ok(listed, `${winner.racer}'s bot instance ${id} is not listed for bot "${bot}"`);
});

Then('the winning racer\'s join state carries recovery_sequence {int} and its bot instance', async function (this: BkpWorld, sequence: number) {
  const winner = theWinner(lastRace(this));
  const outcome = finalOutcome(winner);
  const claims = await joinStateClaims(this, outcome);
  assert.equal(claims.recovery_sequence, sequence, 'recovery_sequence');
  assert.equal(claims.bot_instance_id, instanceIdOfCertificate(outcome), 'bot_instance_id');
});

Then('the token {string} is bound to the winning racer\'s key and bot instance, and to no other racer\'s key', async function (this: BkpWorld, token: string) {
  const race = lastRace(this);
  const winner = theWinner(race);
  const outcome = finalOutcome(winner);
  const status = boundKeypairStatus(await this.control.getToken(token));
  const bound = String(status.bound_public_key ?? '');
  assert.equal(outcome.result?.bound_keypair_result?.public_key?.toString('utf8'), bound, `the key ${winner.racer} was told is bound`);
  const active = this.client(winner.racer).keys[0] as KeyHolder;
  assert.ok(findKey([active], bound), `the bound key is not the key ${winner.racer} holds`);
  assert.equal(status.bound_bot_instance_id, instanceIdOfCertificate(outcome), 'status.bound_keypair.bound_bot_instance_id');
  for (const run of losers(race)) {
    for (const offered of finalOutcome(run).offeredKeys) {
      assert.ok(!findKey([offered], bound), `the token is bound to the key ${run.racer} offered, yet ${run.racer} lost`);
    }
  }
});

Then('the racers\' join states carry the recovery sequences {int} to {int}, one each', async function (this: BkpWorld, from: number, to: number) {
  const race = lastRace(this);
  const sequences: number[] = [];
  for (const run of race.runs) sequences.push(Number((await joinStateClaims(this, finalOutcome(run))).recovery_sequence));
  const want = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  assert.deepEqual([...sequences].sort((a, b) => a - b), want, `recovery sequences the racers were given (a repeat means two commits counted the same recovery):${describeRace(race)}`);
});

Then('the token {string} is bound to the bot instance of the racer whose join state carries recovery_sequence {int}', async function (this: BkpWorld, token: string, sequence: number) {
  const race = lastRace(this);
  let last: RacerRun | undefined;
  for (const run of race.runs) {
    if (Number((await joinStateClaims(this, finalOutcome(run))).recovery_sequence) === sequence) last = run;
  }
  assert.ok(last, `no racer holds a join state with recovery_sequence ${sequence}`);
  const status = boundKeypairStatus(await this.control.getToken(token));
  assert.equal(status.bound_bot_instance_id, instanceIdOfCertificate(finalOutcome(last)), `the token should name the bot instance of ${last.racer}, whose commit came last`);
});

// ---- what the race left behind ---------------------------------------------------------------

Then('the audit log shows one failed {string} event per losing racer for token {string}', async function (this: BkpWorld, type: string, token: string) {
  const race = lastRace(this);
  const events = await eventsSince(this, race.before.lastAuditIndex, type, token);
  const failed = events.filter((e) => e.success === false);
  assert.equal(failed.length, losers(race).length, `failed ${type} events since the race: ${JSON.stringify(failed)}`);
  assert.equal(events.length - failed.length, winners(race).length, `successful ${type} events since the race`);
});

Then('the race left the status of token {string} as it was', async function (this: BkpWorld, token: string) {
  const race = lastRace(this);
  const before = race.before.tokens.get(token);
  assert.ok(before, `token "${token}" did not exist before the race`);
  assert.deepEqual((await this.control.getToken(token)).status, before.status, 'the race changed the token\'s status');
});

Then('the race created no lock', async function (this: BkpWorld) {
  const race = lastRace(this);
  const locks = await this.control.listLocks();
  assert.deepEqual(locks.map((l) => (l.metadata as Json).name), [...race.before.locks.keys()], `locks after the race: ${JSON.stringify(locks)}`);
});

Then('the race added between {int} and {int} bot instances of bot {string}, and the token {string} names the winner\'s', async function (this: BkpWorld, min: number, max: number, bot: string, token: string) {
  const race = lastRace(this);
  const added = (await this.control.listBotInstances(bot)).filter((i) => !race.before.botInstances.has(String((i.metadata as Json).name)));
  const ids = added.map((i) => String((i.metadata as Json).name));
  this.attach(`The race through "${token}" with ${race.runs.length} racers added ${added.length} bot instance(s) of bot "${bot}".`, 'text/plain');
  assert.ok(added.length >= min && added.length <= max, `${added.length} new bot instances: ${ids.join(', ')}`);
  const winnerId = instanceIdOfCertificate(finalOutcome(theWinner(race)));
  assert.ok(ids.includes(winnerId), 'the winner\'s bot instance is not among the new ones');
  assert.equal(boundKeypairStatus(await this.control.getToken(token)).bound_bot_instance_id, winnerId, 'the bound bot instance');
});

Then('the race recorded between {int} and {int} successful recovery events for token {string}, each naming recovery count {int}', async function (this: BkpWorld, min: number, max: number, token: string, count: number) {
  const race = lastRace(this);
  const events = (await eventsSince(this, race.before.lastAuditIndex, RECOVERY_EVENT, token)).filter((e) => e.success === true);
  this.attach(`The race through "${token}" with ${race.runs.length} racers recorded ${events.length} successful ${RECOVERY_EVENT} event(s).`, 'text/plain');
  assert.ok(events.length >= min && events.length <= max, `${events.length} successful ${RECOVERY_EVENT} events: ${JSON.stringify(events)}`);
  for (const e of events) assert.equal(e.recovery_count, count, `recovery_count of ${JSON.stringify(e)}`);
});

// ---- renewals: the generation counter ---------------------------------------------------------

function mismatchLosers(race: Race): RacerRun[] {
  return losers(race).filter((r) => finalOutcome(r).end.details.includes('cert generation mismatch'));
}

/*
 * The first loser to reach the generation check is refused by it and locks
 * the token; with three or more racers a slower loser may instead reach the
 * lock check after that lock exists and be refused by the lock, whose
 * message names the certificate generation mismatch.
 */
Then('every losing racer is refused for the certificate generation mismatch, by the check itself or by the lock it placed', async function (this: BkpWorld) {
  const race = lastRace(this);
  const lost = losers(race);
  assert.ok(lost.length > 0, `no racer lost:${describeRace(race)}`);
  assert.ok(mismatchLosers(race).length > 0, `no racer was refused with "cert generation mismatch":${describeRace(race)}`);
  const lockMessages = (await this.control.listLocks()).map((l) => String((l.spec as Json).message ?? ''));
  for (const run of lost) {
    const o = finalOutcome(run);
    assertRefused(run, o);
    assert.equal(o.end.codeName, 'PERMISSION_DENIED', `${run.racer}'s status (details: ${o.end.details})`);
    const byCheck = o.end.details.includes('cert generation mismatch');
    const byLock = lockMessages.some((m) => m.includes('certificate generation mismatch') && o.end.details.includes(m));
    assert.ok(byCheck || byLock, `${run.racer}'s error "${o.end.details}" is neither the generation mismatch nor a generation-mismatch lock`);
  }
});

Then('the race locked the join token {string} once per generation mismatch, with an audit event each', async function (this: BkpWorld, token: string) {
  const race = lastRace(this);
  const mismatches = mismatchLosers(race).length;
  const added = (await this.control.listLocks()).filter((l) => !race.before.locks.has(String((l.metadata as Json).name)));
  assert.equal(added.length, mismatches, `new locks (one per "cert generation mismatch"): ${JSON.stringify(added)}`);
  for (const lock of added) {
    const spec = lock.spec as Json;
    assert.deepEqual(spec.target, { join_token: token }, 'lock target');
    assert.ok(String(spec.message ?? '').includes('certificate generation mismatch'), `lock message: ${String(spec.message)}`);
  }
  const events = await eventsSince(this, race.before.lastAuditIndex, GENERATION_MISMATCH_EVENT, token);
  assert.equal(events.length, mismatches, `${GENERATION_MISMATCH_EVENT} events: ${JSON.stringify(events)}`);
});

Then('the bot instance of {string} has advanced one generation per successful racer', async function (this: BkpWorld, original: string) {
  const race = lastRace(this);
  const identity = this.client(original).identity;
  assert.ok(identity, `${original} holds no certificate`);
  const presented = parseIdentityCertificate(identity.certDer);
  const generation = presented.generation ?? 0;
  assert.ok(generation > 0, `${original}'s certificate carries no generation`);
  const instance = (await this.control.listBotInstances()).find((i) => (i.metadata as Json).name === presented.botInstanceId);
  assert.ok(instance, `bot instance ${presented.botInstanceId} is not listed`);
  const latest = ((instance.status as Json).latest_authentications as Json[]).at(-1);
  const won = winners(race);
  assert.equal(latest?.generation, generation + won.length, `the stored generation after ${won.length} successful renewal(s) from generation ${generation}`);
  for (const run of won) {
    assert.equal(parseIdentityCertificate(finalOutcome(run).result?.certificates?.tls_cert as Buffer)
      .generation, generation + 1, `generation in ${run.racer}'s new certificate`);
  }
});

// ---- mid-join writes: what stayed -------------------------------------------------------------

Then('the admin\'s mid-join change was accepted', function (this: BkpWorld) {
  assert.ok(this.lastAdmin, 'no admin request was made during the join');
  assert.equal(this.lastAdmin.status, 200, `the admin's apply: ${JSON.stringify(this.lastAdmin.body)}`);
});

Then('the status of token {string} is as it was before the join', async function (this: BkpWorld, token: string) {
  const before = this.before?.tokens.get(token);
  assert.ok(before, `token "${token}" was not recorded before the join`);
  assert.deepEqual((await this.control.getToken(token)).status, before.status, 'the failed join changed the token\'s status');
});

Then('the token {string} holds exactly the status the competing writer wrote', async function (this: BkpWorld, token: string) {
  const written = writtenStatus.get(this)?.get(token);
  assert.ok(written, `no competing status write was made to "${token}"`);
  assert.deepEqual((await this.control.getToken(token)).status, written, 'the failed join left some of its own changes in the status');
});

// ---- two servers ---------------------------------------------------------------------------------

Then('the second server shows token {string} exactly as the first does', async function (this: BkpWorld, token: string) {
  const first = await this.control.getToken(token);
  const second = await secondServer(this).control.getToken(token);
  assert.deepEqual(second, first);
});

Then('the second server lists the same locks and bot instances as the first', async function (this: BkpWorld) {
  const other = secondServer(this).control;
  assert.deepEqual(await other.listLocks(), await this.control.listLocks(), 'locks');
  assert.deepEqual(await other.listBotInstances(), await this.control.listBotInstances(), 'bot instances');
});
