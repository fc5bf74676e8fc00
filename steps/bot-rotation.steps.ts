// The bot's side of keypair rotation (area CRT, client notes §3.4, §3.6,
// §3.7, W-5, W-9): the exchange as the server's transcript shows it, the
// keys the bot keeps (id_bkp, id_bkp.pub, bkp_key_history.json), a bot
// killed in the middle of a rotation, and a cluster rolled back to a key the
// bot rotated away from. Keys the story names ("K1", "K2", …) are public
// keys learnt from the server (the key a token is bound to) or from the wire
// (the key the bot offered), so the transcript sentences work for any bot;
// only the storage sentences need capability tbot-layout.
//
// Every sentence says "bot key" or names the bot's rotation, so none can
// collide with the ROT area's sentences about the suite's own clients.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { scenarioState } from './support/world.js';
import { takeSnapshot } from './support/snapshot.js';
import { newKey } from './support/keys.js';
import { keyTypeWords, runBot, tokenSecret } from './support/bot-scene.js';
import { lastJoinThrough, messagesOf, resultOf, sequence, succeeded, ROTATION_REQUEST, GIVING_UP, CHALLENGE_SOLUTION } from './support/transcripts.js';
import { killDaemonWhileHeld, rotateRepeatedly } from './support/bot-rotation-runs.js';
import {
  ONBOARDING_WITH_SECRET, RENEWAL_WITH_ROTATION, botKey, botRotationScene, boundKeyOf, challenged, describeKey, nameBotKey,
  newestJoinThrough, offeredKey, sameKey, solutionAfterChallenge, typesOf,
} from './support/bot-rotation-scene.js';

// ---------------------------------------------------------------- naming keys

Given('the bot key bound to token {string} is called {string}', async function (this: BkpWorld, token: string, name: string) {
  nameBotKey(this, name, await boundKeyOf(this, token));
});

/* The key of the newest stream's rotation response; the stream may still be held. */
Then('the key the bot offered in the last join through token {string} is called {string}', async function (this: BkpWorld, token: string, name: string) {
  nameBotKey(this, name, offeredKey(await newestJoinThrough(this, token)));
});

Then('the token {string} is bound to the bot key called {string}', async function (this: BkpWorld, token: string, name: string) {
  const bound = await boundKeyOf(this, token);
  assert.ok(sameKey(bound, botKey(this, name)), `token "${token}" is bound to ${describeKey(this, bound)}, not to "${name}"`);
});

// ---------------------------------------------------------------- joins the scenario steers

/* W-5 repeated, one admin request and one one-shot join per rotation (support/bot-rotation-runs.ts). */
Given(/^the bot has rotated its key (\d+) times? through token "([^"]+)", its keys called K1 to K(\d+)$/, { timeout: 240_000 }, async function (this: BkpWorld, times: string, token: string, last: string) {
  assert.equal(Number(last), Number(times) + 1, `${times} rotations make ${Number(times) + 1} keys, K1 to K${Number(times) + 1}`);
  await rotateRepeatedly(this, token, Number(times));
});

/* A one-shot join the scenario does not wait for, so it can look at the bot while the server holds the stream. */
When(/^the bot starts joining once with (?:token "([^"]+)"|the registration secret of token "([^"]+)")$/, async function (this: BkpWorld, plain: string | null, withSecret: string | null) {
  if (withSecret) this.bot.secret = await tokenSecret(this, withSecret);
  this.bot.token = plain ?? withSecret ?? '';
  this.before = await takeSnapshot(this.control);
  const run = runBot(this, withSecret ? 'join_with_secret' : 'join_once');
  run.catch(() => undefined); // judged when the scenario waits for it
  botRotationScene(this).pending = run;
});

When('the bot\'s join in the background has ended', { timeout: 60_000 }, async function (this: BkpWorld) {
  const pending = botRotationScene(this).pending;
  assert.ok(pending, 'the bot has no join running in the background; say first \'When the bot starts joining once with token "…"\'');
  botRotationScene(this).pending = undefined;
  await pending;
});

/*
 * Crash safety (BKP-CRT-013/014/015): the bot runs as a daemon (its first
 * join starts at once), the server holds that join where a hold fault says,
 * and the bot is killed with SIGKILL there. The held stream ends when the
 * bot's connection goes (the server never carries a dead stream on), which
 * the step waits for, so the restart that follows meets no half-open join.
 */
When(/^the bot, started as a daemon with (?:token "([^"]+)"|the registration secret of token "([^"]+)"), is killed with SIGKILL while the server holds its join$/, { timeout: 60_000 }, async function (this: BkpWorld, plain: string | null, withSecret: string | null) {
  await killDaemonWhileHeld(this, plain ?? withSecret ?? '', Boolean(withSecret));
});

// ---------------------------------------------------------------- the cluster rolled back (W-9)

/*
 * A rollback of the token's status alone (a raw backend write, feature
 * raw-status-write): bound_public_key goes back to an older key, everything
 * else stays, so the bot's join state still verifies. A comment after the
 * key is how an admin may have written it; the bot must compare keys, not
 * texts (C-SG-1).
 */
When(/^the cluster is rolled back so that token "([^"]+)" is bound to (?:the bot key called "([^"]+)"|a key the bot never held) again(?:, written with the comment "([^"]+)")?$/, async function (this: BkpWorld, token: string, name: string | null, comment: string | null) {
  const key = name ? botKey(this, name) : newKey('ed25519').authorizedKey;
  const status = (await this.control.getToken(token)).status as { bound_keypair?: Record<string, unknown> } | undefined;
  const bound = { ...(status?.bound_keypair ?? {}), bound_public_key: comment ? `${key} ${comment}` : key };
  await this.control.writeTokenStatus(token, { bound_keypair: bound });
});

const backups = scenarioState(() => new Map<string, Json>());

Given('the cluster backup {string} holds token {string} as it is now', async function (this: BkpWorld, backup: string, token: string) {
  backups(this).set(backup, await this.control.getToken(token));
});

/*
 * The token exactly as the backup holds it, spec and status: deleted and
 * created again from the backup (create honours an incoming status, as a
 * restore needs). Bot instance records are left as they are.
 */
When('the cluster is restored from backup {string}', async function (this: BkpWorld, backup: string) {
  const saved = backups.peek(this)?.get(backup);
  assert.ok(saved, `no cluster backup "${backup}" was taken in this scenario`);
  const { revision: _revision, ...metadata } = saved.metadata as Json;
  await this.control.deleteToken(String(metadata.name));
  const restored = await this.control.createToken({ ...saved, metadata });
  assert.deepEqual(restored.status, saved.status, 'the restored token does not hold the status of the backup');
});

// ---------------------------------------------------------------- the exchange on the wire

/* BKP-CRT-002, R-RT-2: challenge(old) → rotation request → the new key → challenge(new) → the Result binding it. */
Then('the last join through token {string} rotated the bot key called {string} to a new key, called {string}', async function (this: BkpWorld, token: string, old: string, name: string) {
  const t = await lastJoinThrough(this, token);
  assert.deepEqual(typesOf(t), RENEWAL_WITH_ROTATION, `join stream ${t.id}: ${sequence(t)}`);
  const offered = offeredKey(t);
  assert.equal(offered, offered.trim(), `the rotation response carries surrounding whitespace: ${JSON.stringify(offered)}`);
  const [first, second] = challenged(t);
  assert.ok(sameKey(first ?? '', botKey(this, old)), `the first challenge named ${describeKey(this, first ?? '')}, not "${old}"`);
  assert.ok(!sameKey(offered, botKey(this, old)), 'the bot offered the key it was rotating away from');
  assert.ok(sameKey(second ?? '', offered), `the second challenge named ${second}, not the offered key ${offered}`);
  assert.ok(succeeded(t) && sameKey(resultOf(t)?.publicKey ?? '', offered), `the Result does not bind the offered key: ${sequence(t)}`);
  nameBotKey(this, name, offered);
});

/* Secret onboarding is a rotation with no key to challenge first (client notes §3.3). */
Then('the last join through token {string} onboarded the bot with a new key, called {string}, asked for before any challenge', async function (this: BkpWorld, token: string, name: string) {
  const t = await lastJoinThrough(this, token);
  assert.deepEqual(typesOf(t), ONBOARDING_WITH_SECRET, `join stream ${t.id}: ${sequence(t)}`);
  const offered = offeredKey(t);
  assert.equal(offered, offered.trim(), `the rotation response carries surrounding whitespace: ${JSON.stringify(offered)}`);
  assert.ok(sameKey(challenged(t)[0] ?? '', offered), 'the challenge did not name the offered key');
  assert.ok(succeeded(t) && sameKey(resultOf(t)?.publicKey ?? '', offered), `the Result does not bind the offered key: ${sequence(t)}`);
  nameBotKey(this, name, offered);
});

Then('the key the bot offered in the last join through token {string} is an {keytype} key', async function (this: BkpWorld, token: string, type: string) {
  const offered = offeredKey(await lastJoinThrough(this, token));
  assert.equal(keyTypeWords(offered), type, `the bot offered ${offered}`);
});

Then('the rotation request of the last join through token {string} named suite {string}', async function (this: BkpWorld, token: string, suite: string) {
  const t = await lastJoinThrough(this, token);
  const requests = messagesOf(t, 'server', ROTATION_REQUEST);
  assert.equal(requests.length, 1, `join stream ${t.id}: ${sequence(t)}`);
  assert.equal(requests[0]?.fields.signature_algorithm_suite, suite);
});

Then('the bot answered the challenge for its new key in the last join through token {string} with alg {string}', async function (this: BkpWorld, token: string, alg: string) {
  const t = await lastJoinThrough(this, token);
  const header = solutionAfterChallenge(t, challenged(t).length - 1);
  assert.equal(header?.alg, alg, `the solution for the new key has the header ${JSON.stringify(header)}`);
});

/* W-9: the challenge named an older key and the bot answered it (the server accepted the answer: a Result binding it). */
Then('the last join through token {string} challenged the bot key called {string}, and the bot answered with it', async function (this: BkpWorld, token: string, name: string) {
  const t = await lastJoinThrough(this, token);
  const keys = challenged(t);
  assert.ok(keys.length === 1 && sameKey(keys[0] ?? '', botKey(this, name)), `challenges of stream ${t.id}: ${keys.map((k) => describeKey(this, k)).join(', ')}`);
  assert.ok(solutionAfterChallenge(t, 0), `the bot sent no solution after the challenge: ${sequence(t)}`);
  assert.ok(succeeded(t) && sameKey(resultOf(t)?.publicKey ?? '', botKey(this, name)), `stream ${t.id} ended without a Result binding "${name}": ${sequence(t)}`);
});

/* BKP-CLI-011: GivingUp with ChallengeSolutionFailed, and no solution signed with some other key. */
Then('the bot gave up on the last join through token {string} without answering its challenge', async function (this: BkpWorld, token: string) {
  const t = await lastJoinThrough(this, token);
  assert.equal(messagesOf(t, 'client', CHALLENGE_SOLUTION).length, 0, `the bot answered a challenge: ${sequence(t)}`);
  const gaveUp = messagesOf(t, 'client', GIVING_UP);
  assert.equal(gaveUp.length, 1, `the bot did not send GivingUp: ${sequence(t)}`);
  assert.equal(gaveUp[0]?.fields.reason, 'REASON_CHALLENGE_SOLUTION_FAILED', `GivingUp: ${JSON.stringify(gaveUp[0]?.fields)}`);
});

// ---------------------------------------------------------------- what the bot keeps (tbot-layout)

Then('the bot\'s id_bkp and id_bkp.pub hold the bot key called {string}', async function (this: BkpWorld, name: string) {
  const storage = await this.bot.storage();
  const active = (await storage.activeKey()).authorizedKey;
  assert.ok(sameKey(active, botKey(this, name)), `id_bkp holds ${describeKey(this, active)}, not "${name}"`);
  const pub = (await storage.publicKey()).text.trim();
  assert.ok(sameKey(pub, botKey(this, name)), `id_bkp.pub holds ${describeKey(this, pub)}, not "${name}"`);
});

/* An onboarding not yet confirmed: no id_bkp, or an empty one (tbot writes an empty id_bkp, C-RT-2). */
Then('the bot holds no active key yet', async function (this: BkpWorld) {
  const data = await (await this.bot.storage()).read('id_bkp');
  assert.ok(data === undefined || data.length === 0, `id_bkp holds ${data?.length ?? 0} bytes`);
});

Then('the newest key in the bot\'s key history is the bot key called {string}', async function (this: BkpWorld, name: string) {
  const history = (await (await this.bot.storage()).keyHistory()) ?? [];
  const newest = history[0]?.key.authorizedKey ?? '(none)';
  assert.ok(sameKey(newest, botKey(this, name)), `the newest key in the history is ${describeKey(this, newest)}, not "${name}"`);
});

/* "K3, K2, K1": exactly these keys, in this order, and their times newest first. */
Then('the bot\'s key history holds exactly the bot keys called {string}, newest first', async function (this: BkpWorld, names: string) {
  const history = (await (await this.bot.storage()).keyHistory()) ?? [];
  const expected = names.split(',').map((n) => n.trim());
  const shown = history.map((e) => describeKey(this, e.key.authorizedKey)).join(', ');
  assert.equal(history.length, expected.length, `the history holds ${history.length} keys: ${shown}`);
  expected.forEach((name, i) => assert.ok(sameKey(history[i]?.key.authorizedKey ?? '', botKey(this, name)), `entry ${i + 1} should be "${name}"; the history holds ${shown}`));
  const times = history.map((e) => Date.parse(e.time));
  assert.deepEqual([...times].sort((a, b) => b - a), times, `the entries' times are not newest first: ${history.map((e) => e.time).join(', ')}`);
});
