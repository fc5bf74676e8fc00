// Recovery, limits and modes (the REC area): a bot whose certificates expired
// or were lost joins again with its bound key and nothing else. These steps
// add what the shared join/state/result steps do not say: time passing while
// a bot is offline, a bot that lost its certificate, copies of join states,
// an outsider signing with its own key, the operator's edits of the recovery
// settings (tctl edit), the link from the new bot instance to the previous
// one, and the recovery audit event.
//
// Every sentence here speaks of recovery, of a bot being offline, of a spare
// copy of a join state or of the recovery settings, so it cannot collide with
// another area's steps.
import { Given, When, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { JoinRequest } from '../reference/protocol/messages.js';
import { signChallenge } from './support/ceremony.js';
import { join } from './join.steps.js';

const RECOVERY_EVENT = 'join_token.bound_keypair.recovery';

// ---- helpers -------------------------------------------------------------------

interface RecoveryScratch {
  spareJoinStates: Map<string, Buffer>;
}

const scratch = new WeakMap<BkpWorld, RecoveryScratch>();

function recoveryScratch(world: BkpWorld): RecoveryScratch {
  let s = scratch.get(world);
  if (!s) {
    s = { spareJoinStates: new Map() };
    scratch.set(world, s);
  }
  return s;
}

function boundKeypairStatus(token: Json | undefined): Json {
  return ((token?.status as Json | undefined)?.bound_keypair as Json | undefined) ?? {};
}

/** The claims of a compact JWS, without checking its signature (the shared result steps do that). */
function jwsClaims(jws: Buffer | string): Json {
  const payload = Buffer.from(jws).toString('utf8').split('.')[1];
  assert.ok(payload, 'the join state is not in compact JWS form');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
}

/** The previous_join_state the client actually sent in its BoundKeypairInit during the last join. */
function presentedJoinState(world: BkpWorld): Buffer | undefined {
  for (const w of world.outcome().wire) {
    if (w.direction !== 'client') continue;
    const state = (w.message as JoinRequest).bound_keypair_init?.previous_join_state;
    if (state !== undefined) return state.length > 0 ? Buffer.from(state) : undefined;
  }
  return undefined;
}

async function botInstance(world: BkpWorld, bot: string, id: string): Promise<Json> {
  const instance = (await world.control.listBotInstances(bot)).find((i) => (i.metadata as Json).name === id);
  assert.ok(instance, `bot instance ${id} of bot "${bot}" is not listed`);
  return instance;
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
  const instance = await botInstance(world, String((stored.spec as Json).bot_name ?? ''), id);
  return { instance, previouslyBound };
}

function certificateNotAfter(world: BkpWorld, who: string): number {
  const identity = world.client(who).identity;
  assert.ok(identity, `setting the scene: "${who}" holds no certificate`);
  return new Date(new X509Certificate(identity.certDer).validTo).getTime();
}

// ---- setting the scene -----------------------------------------------------------

/*
 * Moves the server clock one second past the end of the bot's certificate
 * (X.509 validity has whole seconds, so the clock stays on a whole second).
 */
Given('{string} stays offline until its certificate has expired', async function (this: BkpWorld, who: string) {
  const notAfter = certificateNotAfter(this, who);
  const now = (await this.serverNow()).getTime();
  assert.ok(notAfter > now, `setting the scene: the certificate of "${who}" has already expired`);
  const reached = new Date((await this.control.advanceClock(notAfter - now + 1000)).now).getTime();
  assert.ok(reached > notAfter, `the server clock reads ${new Date(reached).toISOString()}, not past the certificate's ${new Date(notAfter).toISOString()}`);
});

Given('{string} stays offline for {duration}', async function (this: BkpWorld, _who: string, ms: number) {
  const before = (await this.serverNow()).getTime();
  const after = new Date((await this.control.advanceClock(ms)).now).getTime();
  assert.equal(after - before, ms, `the server clock moved by ${after - before} ms instead of ${ms} ms`);
});

Given('{string} has lost its certificate but kept its key and join state', function (this: BkpWorld, who: string) {
  const client = this.client(who);
  assert.ok(client.identity, `setting the scene: "${who}" had no certificate to lose`);
  assert.ok(client.joinState, `setting the scene: "${who}" holds no join state`);
  delete client.identity;
});

Given('{string} has lost its stored join state', function (this: BkpWorld, who: string) {
  const client = this.client(who);
  assert.ok(client.joinState, `setting the scene: "${who}" had no join state to lose`);
  delete client.joinState;
});

Given('{string} keeps a spare copy of its current join state', function (this: BkpWorld, who: string) {
  const state = this.client(who).joinState;
  assert.ok(state, `setting the scene: "${who}" holds no join state`);
  recoveryScratch(this).spareJoinStates.set(who, Buffer.from(state));
});

Given('{string} has recovered {int} time(s) with token {string}', async function (this: BkpWorld, who: string, times: number, token: string) {
  for (let i = 1; i <= times; i++) {
    const o = await join(this, who, { tokenName: token, identity: undefined });
    assert.ok(o.ok, `setting the scene: recovery ${i} of ${times} ended with ${o.end.codeName}: ${o.end.details}`);
  }
});

/*
 * What `tctl edit token/<name>` does to the recovery block: read the token,
 * change spec.bound_keypair.recovery, write it back with apply (PUT), which
 * keeps the stored status. Rows: `mode` and/or `limit`.
 */
When('the admin edits the recovery settings of token {string}:', async function (this: BkpWorld, name: string, table: DataTable) {
  const stored = await this.control.getToken(name);
  const spec = structuredClone(stored.spec) as Json;
  const boundKeypair = (spec.bound_keypair ?? {}) as Json;
  const recovery = { ...((boundKeypair.recovery as Json | undefined) ?? {}) };
  for (const [field, value] of table.raw()) {
    if (field === 'mode') recovery.mode = value ?? '';
    else if (field === 'limit') recovery.limit = Number(value);
    else throw new Error(`unknown recovery setting "${field}": use mode or limit`);
  }
  spec.bound_keypair = { ...boundKeypair, recovery };
  const { revision: _revision, ...metadata } = stored.metadata as Json;
  const edited = await this.control.applyToken(name, { kind: stored.kind, version: stored.version, metadata, spec });
  assert.deepEqual((edited.spec as Json).bound_keypair, spec.bound_keypair, 'the edited recovery settings were not stored as written');
  assert.deepEqual(edited.status, stored.status, 'editing the spec must keep the token\'s status (apply semantics)');
});

// ---- joins ---------------------------------------------------------------------------

When('{string} attempts a recovery with token {string}, signing the challenge with its own key', async function (this: BkpWorld, who: string, token: string) {
  const own = this.client(who).keys[0];
  assert.ok(own, `"${who}" holds no key of its own`);
  await join(this, who, { tokenName: token, identity: undefined, respond: (ctx) => signChallenge(ctx.document, { key: own }) });
});

When('{string} attempts a recovery with token {string} presenting its spare copy of the join state', async function (this: BkpWorld, who: string, token: string) {
  const spare = recoveryScratch(this).spareJoinStates.get(who);
  assert.ok(spare, `setting the scene: "${who}" kept no spare copy of a join state`);
  assert.ok(!spare.equals(this.client(who).joinState ?? Buffer.alloc(0)), 'setting the scene: the spare copy is still the current join state');
  await join(this, who, { tokenName: token, identity: undefined, joinState: spare });
});

When('{string} attempts a recovery with token {string} presenting the join state {string}', async function (this: BkpWorld, who: string, token: string, text: string) {
  await join(this, who, { tokenName: token, identity: undefined, joinState: Buffer.from(text) });
});

When('{string} attempts a recovery with token {string} without any join state', async function (this: BkpWorld, who: string, token: string) {
  const client = this.client(who);
  const kept = client.joinState;
  delete client.joinState;
  try {
    await join(this, who, { tokenName: token, identity: undefined });
  } finally {
    // Only this attempt went without it; a successful join would have stored a new one.
    if (kept && !client.joinState) client.joinState = kept;
  }
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
  const presentedInstance = String(jwsClaims(presented).bot_instance_id ?? '');
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
  const events = await this.control.listAuditEvents({ event: RECOVERY_EVENT, token_name: token, since_index: this.before.lastAuditIndex });
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
