// The generation counter and bot instances (the GEN area). Every bot
// certificate carries a generation; the bot instance record stores the one
// its latest certificate carries. A renewal must present the stored
// generation and moves it on by one, so two holders of one certificate
// cannot both keep renewing: the second presents a stale generation and the
// token is locked. These steps keep copies of older certificates, renew
// many times, read generations and lineages back through the control API,
// and check the error and the audit event of a mismatch (what it leaves on
// the server is said with the shared "apart from one new lock …" sentence).
//
// The sentences name generations, the generation counter, kept
// certificates, generation-mismatch locks or bot instance lineages, so that
// they cannot collide with other areas' steps.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { join, recoveryLineage } from './join.steps.js';
import { newKey } from './support/keys.js';
import { assertServerRefused, signingWith } from './support/ceremony.js';
import { identityOf, keepCopy, keptCopy, renewalState, resultCertificate, storedGeneration } from './support/renewal-credentials.js';
import { auditEventsSinceLastJoin, botNameOf, boundInstanceId, boundKeypairStatus, findBotInstance, locksOnJoinToken } from './support/server-state.js';

const MISMATCH_EVENT = 'cert.generation_mismatch';

// ---------------------------------------------------------------- kept certificates

Given('{string} keeps a copy of its generation-{int} certificate', function (this: BkpWorld, who: string, generation: number) {
  keepCopy(this, who, generation);
});

/*
 * The bot presents an older certificate it kept (with the key it was
 * issued for) or its current one; everything else — its latest join state,
 * its bound key — is what it holds now, unless the sentence says it answers
 * with a stranger's key or sends no join state.
 */
When(/^"([^"]+)" renews with token "([^"]+)" presenting its (current|kept generation-\d+) certificate(, signing the challenge with a stranger's key| without sending its join state)?$/, async function (this: BkpWorld, who: string, token: string, which: string, twist: string | null) {
  const generation = /^kept generation-(\d+)$/.exec(which)?.[1];
  const identity = generation ? keptCopy(this, who, Number(generation)) : this.client(who).identity;
  assert.ok(identity, `"${who}" holds no certificate`);
  assert.ok(generation || twist, `"${who}" renews with token "${token}" already presents its current certificate`);
  const plan: Parameters<typeof join>[2] = { tokenName: token, identity };
  if (twist?.includes('stranger')) plan.respond = signingWith(newKey('ed25519'));
  else if (twist) plan.joinState = Buffer.alloc(0);
  await join(this, who, plan);
});

// ---------------------------------------------------------------- many renewals

When('{string} renews its certificate with token {string} {int} times in a row', { timeout: 120_000 }, async function (this: BkpWorld, who: string, token: string, times: number) {
  const state = renewalState(this);
  state.renewals = [];
  for (let i = 1; i <= times; i++) {
    const identity = this.client(who).identity;
    assert.ok(identity, `"${who}" holds no certificate to renew with`);
    const o = await join(this, who, { tokenName: token, identity });
    assert.ok(o.ok, `renewal ${i} of ${times} failed: ${o.end.codeName} ${o.end.details}`);
    const issued = identityOf(resultCertificate(this));
    state.renewals.push({ generation: issued.generation ?? 0, instance: issued.botInstanceId ?? '' });
  }
});

Then('those renewals carried generations {int} to {int}, all for the bot instance bound to token {string}', async function (this: BkpWorld, from: number, to: number, token: string) {
  const bound = await boundInstanceId(this, token);
  const { renewals } = renewalState(this);
  const expected = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  assert.deepEqual(renewals.map((r) => r.generation), expected, 'generations of the renewed certificates, in order');
  assert.deepEqual([...new Set(renewals.map((r) => r.instance))], [bound], 'bot instances named by the renewed certificates');
});

// ---------------------------------------------------------------- the counter

Then('the generation counter of the bot instance bound to token {string} stands at {int}', async function (this: BkpWorld, token: string, generation: number) {
  const instance = await findBotInstance(this, await boundInstanceId(this, token));
  assert.equal(storedGeneration(instance), generation, `stored generation of ${JSON.stringify(instance)}`);
});

Then('the generation counter of the bot instance that token {string} was bound to before the last join still stands at {int}', async function (this: BkpWorld, token: string, generation: number) {
  const previous = String(boundKeypairStatus(this.before?.tokens.get(token)).bound_bot_instance_id ?? '');
  assert.ok(previous, `token "${token}" was bound to no bot instance before the last join`);
  assert.notEqual(previous, await boundInstanceId(this, token), 'the token is still bound to the same bot instance');
  assert.equal(storedGeneration(await findBotInstance(this, previous)), generation, 'stored generation of the previous instance');
});

// ---------------------------------------------------------------- mismatch

Then('the renewal is refused as a generation mismatch of the bot instance bound to token {string}: stored={int}, presented={int}', async function (this: BkpWorld, token: string, stored: number, presented: number) {
  const bot = await botNameOf(this, token);
  const id = await boundInstanceId(this, token);
  assertServerRefused(this.outcome(), 'PERMISSION_DENIED', [`cert generation mismatch for bot ${bot}/${id}: stored=${stored}, presented=${presented}`], 'the renewal');
});

Then('the renewal is refused because the bot instance bound to token {string} does not exist: presented={int}', async function (this: BkpWorld, token: string, presented: number) {
  const bot = await botNameOf(this, token);
  const id = await boundInstanceId(this, token);
  assertServerRefused(this.outcome(), 'PERMISSION_DENIED', [`cert generation mismatch for bot ${bot}/${id}: instance not found, presented=${presented}`], 'the renewal');
});

Then('token {string} is held by exactly one lock, the generation-mismatch lock', async function (this: BkpWorld, token: string) {
  const locks = locksOnJoinToken(await this.control.listLocks(), token);
  assert.equal(locks.length, 1, `locks on token "${token}": ${JSON.stringify(locks)}`);
  const message = String(((locks[0] as Json).spec as Json).message ?? '');
  assert.ok(message.includes('have been locked due to a certificate generation mismatch'), `the lock's message "${message}"`);
});

Then('the audit log has a generation-mismatch event for token {string} naming its bot and the bot instance bound to it', async function (this: BkpWorld, token: string) {
  const events = await auditEventsSinceLastJoin(this, { event: MISMATCH_EVENT, token_name: token });
  assert.equal(events.length, 1, `expected exactly one ${MISMATCH_EVENT} event for ${token} since the last join, got ${JSON.stringify(events)}`);
  const event = events[0] as Json;
  assert.equal(event.bot_name, await botNameOf(this, token), `bot_name of ${JSON.stringify(event)}`);
  assert.equal(event.bot_instance_id, await boundInstanceId(this, token), `bot_instance_id of ${JSON.stringify(event)}`);
});

// ---------------------------------------------------------------- losing the instance records

Given('the admin has a backup of token {string}', async function (this: BkpWorld, token: string) {
  renewalState(this).backups.set(token, await this.control.getToken(token));
});

/*
 * The only way the control API offers to lose bot instance records: a reset
 * (which keeps the cluster's CAs, so certificates and join states stay
 * valid), after which the admin restores the token from its backup — create
 * honours an incoming status, as a backup restore needs.
 */
When('the cluster loses its bot instance records and the admin restores token {string} from the backup', async function (this: BkpWorld, token: string) {
  const backup = renewalState(this).backups.get(token);
  assert.ok(backup, `no backup of token "${token}" was made`);
  const now = await this.serverNow();
  await this.control.reset();
  // A reset puts a virtual clock at real time; keep the scenario's time.
  const after = await this.serverNow();
  if (after.getTime() < now.getTime()) await this.control.advanceClock(now.getTime() - after.getTime());
  const { revision: _revision, ...metadata } = backup.metadata as Json;
  await this.control.createToken({ ...backup, metadata });
  assert.deepEqual(await this.control.listBotInstances(), [], 'bot instance records survived the reset');
  assert.deepEqual((await this.control.getToken(token)).status, backup.status, 'the restored token lost its status');
});

// ---------------------------------------------------------------- lineage

Then('the bot instances of bot {string} form one lineage of {int}, the first with no previous instance and each later one naming the instance it replaced', async function (this: BkpWorld, bot: string, count: number) {
  const lineage = recoveryLineage(this).instances;
  assert.equal(lineage.length, count, `the token was bound to ${lineage.length} instances in this scenario`);
  assert.equal(new Set(lineage).size, count, 'a recovery kept the bot instance it replaced');
  const instances = new Map((await this.control.listBotInstances(bot)).map((i) => [String((i.metadata as Json).name), i]));
  assert.deepEqual([...instances.keys()].sort(), [...lineage].sort(), 'the bot\'s instances are the ones the token was bound to');
  lineage.forEach((id, i) => {
    const spec = (instances.get(id) as Json).spec as Json;
    assert.equal(spec.instance_id, id, 'spec.instance_id');
    assert.equal(spec.bot_name, bot, 'spec.bot_name');
    if (i === 0) assert.ok(!spec.previous_instance_id, `the first instance names a previous instance ${String(spec.previous_instance_id)}`);
    else assert.equal(spec.previous_instance_id, lineage[i - 1], `previous_instance_id of instance ${i + 1}`);
  });
});

// ---------------------------------------------------------------- history

Then('the bot instance bound to token {string} remembers its first authentication at generation 1 and its latest {int} authentications, generations {int} to {int}, newest last', async function (this: BkpWorld, token: string, count: number, from: number, to: number) {
  const stored = await this.control.getToken(token);
  const status = (stored.status as Json).bound_keypair as Json;
  const instance = await findBotInstance(this, await boundInstanceId(this, token));
  const history = instance.status as Json;
  const initial = history.initial_authentication as Json;
  assert.equal(initial.generation, 1, 'generation of the initial authentication');
  const latest = history.latest_authentications as Json[];
  assert.equal(latest.length, count, `latest authentications: ${JSON.stringify(latest)}`);
  assert.deepEqual(latest.map((a) => a.generation), Array.from({ length: to - from + 1 }, (_, i) => from + i), 'generations, oldest first');
  let previousTime = 0;
  for (const auth of [initial, ...latest]) {
    assert.equal(auth.join_token, token, `join_token of ${JSON.stringify(auth)}`);
    assert.equal(auth.public_key, status.bound_public_key, `public_key of ${JSON.stringify(auth)}`);
    assert.equal(auth.recovery_count, status.recovery_count, `recovery_count of ${JSON.stringify(auth)}`);
  }
  for (const auth of latest) {
    const t = new Date(String(auth.auth_time)).getTime();
    assert.ok(t >= previousTime, 'the latest authentications are not in time order');
    previousTime = t;
  }
});
