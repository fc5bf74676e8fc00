// The bot under test as a long-running daemon (client notes §3.8): started,
// asked to renew now (the target's reload, SIGUSR1 for tbot), left to retry
// when joins fail, stopped. What the daemon did is read from the server's
// transcripts, with the real time at which each join appeared
// (support/join-watch.ts), never from the bot's own account — except in the
// sentences about its output, which need @needs-bot-tbot-messages.
//
// Sentences about a series of retries are in bot-retries.steps.ts; a week
// on the server's clock, a thief's copy of the bot and a read-only storage
// in bot-stories.steps.ts.
import { After, Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import { describeExit } from './support/bot-daemon.js';
import { tail } from './support/bot-process.js';
import { REGISTRATION_SECRET_ENV, tokenSecret } from './support/bot-scene.js';
import {
  currentWatch, daemonScene, describeSeen, runningDaemon, startDaemon, stopWatches, theDaemon, waitForSuccessfulJoin, watchFromNow,
} from './support/daemon-scene.js';

/** How long a daemon gets to start (a process start, then its first join). */
const START_MS = 30_000;
const OUTPUT_WAIT_MS = 5_000;

After(async function (this: BkpWorld) {
  await stopWatches(this);
});

// ---------------------------------------------------------------- settings

/*
 * tbot retries after 1 s, doubling up to 1 min (C-LC-3, C-LC-4): a cycle of
 * 7 failed attempts lasts over a minute. Bots with the retry-knobs
 * capability take shorter delays, so retry scenarios run in seconds.
 */
Given('the bot retries after {duration} at first, doubling up to {duration}', function (this: BkpWorld, baseMs: number, maxMs: number) {
  this.bot.requireCapability('retry-knobs', 'shortening the retry delays');
  assert.ok(baseMs > 0 && maxMs >= baseMs, `retry delays: the first (${baseMs} ms) must be positive and not above the largest (${maxMs} ms)`);
  daemonScene(this).retry = { baseMs, maxMs };
});

/* {renewal_interval}; tbot's default is 20 minutes, which these scenarios never wait for unless they say so. */
Given('the bot renews every {duration}', function (this: BkpWorld, ms: number) {
  this.bot.renewalIntervalMs = ms;
});

/* {certificate_ttl}; tbot's default is 1 hour. */
Given('the bot\'s certificates last {duration}', function (this: BkpWorld, ms: number) {
  this.bot.certificateTtlMs = ms;
});

// ---------------------------------------------------------------- starting

When('the bot starts as a daemon with token {string}', async function (this: BkpWorld, token: string) {
  await startDaemon(this, token);
});

/* W-1 as an operator runs it: tbot started with the secret (TBOT_REGISTRATION_SECRET, capability registration-secret-env). */
When('the bot starts as a daemon with the registration secret of token {string} in the environment', async function (this: BkpWorld, token: string) {
  this.bot.requireCapability('registration-secret-env', `reading ${REGISTRATION_SECRET_ENV}`);
  await startDaemon(this, token, { [REGISTRATION_SECRET_ENV]: await tokenSecret(this, token) });
});

/* Started, and its first join (an onboarding, a renewal or a recovery) succeeded. */
Given('the bot is running as a daemon with token {string}', { timeout: START_MS + 5_000 }, async function (this: BkpWorld, token: string) {
  await startDaemon(this, token);
  const joins = await waitForSuccessfulJoin(this, START_MS);
  assert.equal(joins.length, 1, `setting the scene: the daemon's first join should have succeeded; joins: ${describeSeen(joins)}`);
});

// ---------------------------------------------------------------- renewing now

/* C-LC-5: the target's reload (SIGUSR1 for tbot: `pkill -usr1 tbot`). The server is snapshotted first. */
When('the daemon is asked to renew now', async function (this: BkpWorld) {
  const daemon = runningDaemon(this);
  await watchFromNow(this, currentWatch(this).token);
  await daemon.reload();
});

/* Asked, and the renewal succeeded at its first attempt. */
When('the daemon renews now', { timeout: 20_000 }, async function (this: BkpWorld) {
  const daemon = runningDaemon(this);
  await watchFromNow(this, currentWatch(this).token);
  await daemon.reload();
  const joins = await waitForSuccessfulJoin(this, 15_000);
  assert.equal(joins.length, 1, `the daemon's renewal should have succeeded at once; joins: ${describeSeen(joins)}`);
  daemonScene(this).lastRenewal = joins;
});

/* Failures before the success are retries; "that renewal took …" counts them. */
Then('the daemon\'s renewal through token {string} succeeds within {duration}', { timeout: 120_000 }, async function (this: BkpWorld, token: string, ms: number) {
  assert.equal(currentWatch(this).token, token, `the daemon was watched for joins through token "${currentWatch(this).token}"`);
  daemonScene(this).lastRenewal = await waitForSuccessfulJoin(this, ms);
});

Then(/^that renewal took (\d+) joins?(?:, the first (\d+) refused with ([A-Z_]+))?$/, function (this: BkpWorld, total: string, refused: string | undefined, code: string | undefined) {
  const joins = daemonScene(this).lastRenewal;
  assert.ok(joins, 'say first which renewal: "Then the daemon\'s renewal through token … succeeds within …"');
  assert.equal(joins.length, Number(total), `the renewal's joins: ${describeSeen(joins)}`);
  const failed = joins.slice(0, -1);
  assert.equal(failed.length, Number(refused ?? 0), `failed joins before the success: ${describeSeen(joins)}`);
  for (const j of failed) assert.equal(j.transcript.end?.code, code, `join #${j.transcript.id} should have been refused with ${code ?? '?'}: ${describeSeen(joins)}`);
});

/* Only the daemon's first join since it was last asked to act. */
Then('the daemon\'s next join through token {string} fails with {grpcstatus} {string}', { timeout: 60_000 }, async function (this: BkpWorld, token: string, code: string, text: string) {
  const watch = currentWatch(this);
  assert.equal(watch.token, token);
  const joins = await watch.until((js) => js[0]?.transcript.end !== undefined, 45_000, (js) => `no join through token "${token}" ended; joins: ${describeSeen(js)}`);
  const first = joins[0]?.transcript;
  assert.ok(first?.end);
  assert.equal(first.end.code, code, `join #${first.id}: ${describeSeen(joins)}`);
  assert.ok(first.end.message.includes(text), `join #${first.id} ended with "${first.end.message}", not "${text}"`);
});

/* The daemon's second join since it was last asked to act: its first retry. Teleport's lock error: `lock targeting … is in force: <message>`. */
Then('the daemon\'s retry through token {string} is refused by a lock with the message {string}', { timeout: 90_000 }, async function (this: BkpWorld, token: string, text: string) {
  const watch = currentWatch(this);
  assert.equal(watch.token, token);
  const joins = await watch.until((js) => js[1]?.transcript.end !== undefined, 75_000, (js) => `the daemon did not retry through token "${token}"; joins: ${describeSeen(js)}`);
  const retry = joins[1]?.transcript;
  assert.ok(retry?.end);
  assert.equal(retry.end.code, 'PERMISSION_DENIED', `join #${retry.id}: ${describeSeen(joins)}`);
  for (const part of ['lock targeting', 'is in force', text]) assert.ok(retry.end.message.includes(part), `join #${retry.id} ended with "${retry.end.message}", which does not say "${part}"`);
});

// ---------------------------------------------------------------- running, stopping, exiting

Then('the daemon is still running', function (this: BkpWorld) {
  runningDaemon(this);
});

When('the daemon is sent SIGTERM', function (this: BkpWorld) {
  runningDaemon(this).signal('SIGTERM');
});

async function exitWithin(world: BkpWorld, ms: number): Promise<NonNullable<ReturnType<typeof theDaemon>['exitStatus']>> {
  const daemon = theDaemon(world);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  const exit = await Promise.race([daemon.exited, timeout]);
  clearTimeout(timer);
  assert.ok(exit, `the daemon was still running ${ms} ms later; its output:\n${tail(daemon.output())}`);
  return exit;
}

Then('the daemon exits within {duration} with code {int}', { timeout: 120_000 }, async function (this: BkpWorld, ms: number, code: number) {
  const exit = await exitWithin(this, ms);
  assert.equal(exit.exitCode, code, `the daemon ended with ${describeExit(exit)}; its output:\n${tail(theDaemon(this).output())}`);
});

Then('the daemon exits within {duration} with a non-zero code', { timeout: 120_000 }, async function (this: BkpWorld, ms: number) {
  const exit = await exitWithin(this, ms);
  assert.ok(exit.exitCode !== null && exit.exitCode !== 0, `the daemon ended with ${describeExit(exit)}`);
});

/* join_failed, usage or local_state, as the target's exit_codes say (capability exit-codes). */
Then('the daemon exits within {duration} with the {word} exit code', { timeout: 120_000 }, async function (this: BkpWorld, ms: number, kind: string) {
  assert.ok(['join_failed', 'usage', 'local_state'].includes(kind), `unknown exit code kind "${kind}"`);
  const expected = this.bot.exitCode(kind as 'join_failed' | 'usage' | 'local_state');
  const exit = await exitWithin(this, ms);
  assert.equal(exit.exitCode, expected, `expected exit code ${expected} (${kind}); the daemon ended with ${describeExit(exit)}`);
});

// ---------------------------------------------------------------- output

async function outputIncludes(world: BkpWorld, text: string): Promise<void> {
  const daemon = theDaemon(world);
  const deadline = Date.now() + OUTPUT_WAIT_MS;
  while (!daemon.output().includes(text)) {
    assert.ok(Date.now() < deadline, `the daemon's output does not say "${text}"; it says:\n${tail(daemon.output())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/* BKP-CLI-026: a refusal shown verbatim; every bot must, so no capability is needed. */
Then('the daemon reports the server\'s error {string}', async function (this: BkpWorld, text: string) {
  await outputIncludes(this, text);
});

/* tbot's own texts: only bots that declare tbot-messages promise them. */
Then('the daemon\'s output says {string}', async function (this: BkpWorld, text: string) {
  this.bot.requireCapability('tbot-messages', `expecting the text "${text}"`);
  await outputIncludes(this, text);
});

Then('the daemon\'s output says {string} once', async function (this: BkpWorld, text: string) {
  this.bot.requireCapability('tbot-messages', `expecting the text "${text}"`);
  await outputIncludes(this, text);
  const count = theDaemon(this).output().split(text).length - 1;
  assert.equal(count, 1, `the daemon's output says "${text}" ${count} times`);
});
