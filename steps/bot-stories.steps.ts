// The scenery of the lifecycle stories: long stretches of time on the
// server's clock with the daemon renewing along the way, a thief running a
// copy of the bot's storage directory, and a storage directory the bot can
// no longer write (client notes C-LC-7).
import { After, Given, Status, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json, Transcript } from './support/control-client.js';
import { scenarioState } from './support/world.js';
import { advanceServerClock } from './support/clock.js';
import { tail } from './support/bot-process.js';
import type { RunResult } from './support/bot-process.js';
import { describeRun } from './support/bot-scene.js';
import { takeSnapshot } from './support/snapshot.js';
import { lastJoinThrough, messagesOf, BOT_RESULT } from './support/transcripts.js';
import type { SeenJoin } from './support/join-watch.js';
import { currentWatch, describeSeen, runningDaemon, watchFromNow } from './support/daemon-scene.js';
import { cleanupSecondBot, copyStorageToSecondBot, secondBot } from './support/second-bot.js';
import { makeReadOnly } from './support/read-only-storage.js';
import type { ReadOnlyDirectory } from './support/read-only-storage.js';

const scene = scenarioState(() => ({
  readOnly: undefined as ReadOnlyDirectory | undefined,
  thiefRun: undefined as RunResult | undefined,
  /** The join before a stretch of renewals, then the renewals. */
  stretch: undefined as { before: Transcript; renewals: SeenJoin[] } | undefined,
}));

/* Runs before bot-hooks.ts removes the work directory (After hooks run in reverse order of definition). */
After(async function (this: BkpWorld, { result }) {
  const s = scene.peek(this);
  if (result?.status === Status.FAILED && s?.thiefRun) this.attach(`The thief's run:\n${describeRun(s.thiefRun)}`, 'text/plain');
  await s?.readOnly?.restore();
  await cleanupSecondBot(this);
});

// ---------------------------------------------------------------- a storage the bot cannot write

Given('the bot\'s storage directory is made read-only', async function (this: BkpWorld) {
  const s = scene(this);
  assert.ok(!s.readOnly, 'the storage directory is read-only already');
  s.readOnly = await makeReadOnly((await this.bot.paths()).storage);
});

When('the bot\'s storage directory is made writable again', async function (this: BkpWorld) {
  const s = scene(this);
  assert.ok(s.readOnly, 'the storage directory was not made read-only');
  await s.readOnly.restore();
  s.readOnly = undefined;
});

// ---------------------------------------------------------------- time passing, the daemon renewing

/*
 * The virtual clock moves in steps; after each the bot's clock file follows
 * and the daemon is asked to renew now (its own interval is real time and
 * never comes). Each renewal must succeed at its first attempt.
 */
When('{duration} pass(es) on the server\'s clock in steps of {duration}, the daemon renewing after each step', { timeout: 300_000 }, async function (this: BkpWorld, totalMs: number, stepMs: number) {
  assert.ok(stepMs > 0 && totalMs % stepMs === 0, `${totalMs} ms is not a whole number of ${stepMs} ms steps`);
  const daemon = runningDaemon(this);
  const token = currentWatch(this).token;
  const before = await lastJoinThrough(this, token);
  const watch = await watchFromNow(this, token);
  const steps = totalMs / stepMs;
  for (let i = 1; i <= steps; i++) {
    await advanceServerClock(this, stepMs);
    await this.bot.syncClock();
    await daemon.reload();
    const joins = await watch.until((js) => js.length >= i && js[i - 1]?.transcript.end !== undefined, 15_000, (js) => `renewal ${i} of ${steps} did not happen; joins: ${describeSeen(js)}`);
    assert.equal(joins.length, i, `renewal ${i} of ${steps} took more than one join: ${describeSeen(joins)}`);
    const last = joins[i - 1]?.transcript;
    assert.equal(last?.end?.code, 'OK', `renewal ${i} of ${steps} failed: ${describeSeen(joins.slice(-3))}\n${tail(daemon.output())}`);
  }
  scene(this).stretch = { before, renewals: watch.joins() };
});

/*
 * BKP-RTY-009: left alone, the daemon renews every {renewal_interval}
 * (real time). "About" allows 10 % early (timer slack) and 1.5 s late (the
 * renewal itself, and tbot counting from the start of a cycle where the
 * reference bot counts from its end).
 */
Then('the daemon renews through token {string} on its own {int} times, about {duration} apart', { timeout: 120_000 }, async function (this: BkpWorld, token: string, times: number, intervalMs: number) {
  const watch = currentWatch(this);
  assert.equal(watch.token, token);
  const first = watch.joins()[0];
  assert.ok(first?.transcript.end?.code === 'OK', `the daemon's first join should have succeeded: ${describeSeen(watch.joins())}`);
  const joins = await watch.until((js) => js.length > times && js.slice(0, times + 1).every((j) => j.transcript.end), times * (intervalMs + 5_000) + 5_000, (js) => `the daemon did not renew ${times} times on its own: ${describeSeen(js)}`);
  const series = joins.slice(0, times + 1);
  for (let i = 1; i < series.length; i++) {
    const gap = (series[i] as SeenJoin).seenAtMs - (series[i - 1] as SeenJoin).seenAtMs;
    assert.ok(gap >= intervalMs * 0.9 && gap <= intervalMs + 1_500, `renewal ${i} came ${gap} ms after the join before it, not about ${intervalMs} ms: ${describeSeen(series)}`);
  }
  scene(this).stretch = { before: first.transcript, renewals: series.slice(1) };
});

function issuedCertificate(t: Transcript): Json | undefined {
  const result = messagesOf(t, 'server', BOT_RESULT)[0];
  return (result?.fields.certificates as Json | undefined)?.tls_cert as Json | undefined;
}

/* BKP-RTY-009: renewals, not recoveries: each presents the certificate the previous join issued. */
Then('all {int} of those renewals succeeded, each presenting the certificate the join before it had issued', function (this: BkpWorld, count: number) {
  const stretch = scene(this).stretch;
  assert.ok(stretch, 'no stretch of renewals in this scenario');
  const chain = [stretch.before, ...stretch.renewals.map((j) => j.transcript)];
  assert.equal(stretch.renewals.length, count, `renewals: ${describeSeen(stretch.renewals)}`);
  for (let i = 1; i < chain.length; i++) {
    const previous = chain[i - 1] as Transcript;
    const renewal = chain[i] as Transcript;
    assert.equal(renewal.end?.code, 'OK', `renewal #${renewal.id} failed`);
    const issued = issuedCertificate(previous);
    assert.ok(issued, `join #${previous.id} issued no certificate`);
    assert.ok(renewal.authenticated && renewal.client_certificate, `renewal ${i} (#${renewal.id}) presented no certificate: a recovery, not a renewal`);
    const presented = renewal.client_certificate;
    assert.equal(presented.subject, issued.subject, `renewal ${i} (#${renewal.id}) presented a certificate for another subject`);
    assert.equal(Date.parse(String(presented.not_after)), Date.parse(String(issued.not_after)), `renewal ${i} (#${renewal.id}) presented a certificate valid until ${String(presented.not_after)}, the join before it issued one valid until ${String(issued.not_after)}`);
  }
});

// ---------------------------------------------------------------- a thief's copy of the bot

/* The whole directory, the bot's certificate and key included, as an attacker with read access would take it. */
Given('a thief has copied the bot\'s storage directory', async function (this: BkpWorld) {
  await copyStorageToSecondBot(this);
});

/* The same bot program, run from the copy; the copy's clock file follows the server's clock. */
When('the thief runs the copied bot once with token {string}', { timeout: 60_000 }, async function (this: BkpWorld, token: string) {
  const thief = secondBot(this);
  thief.token = token;
  this.before = await takeSnapshot(this.control);
  await thief.syncClock();
  scene(this).thiefRun = await thief.run('join_once');
});

function thiefRun(world: BkpWorld): RunResult {
  const run = scene(world).thiefRun;
  assert.ok(run, 'the thief has not run the copied bot in this scenario');
  return run;
}

Then('the thief\'s run succeeds', function (this: BkpWorld) {
  const run = thiefRun(this);
  assert.equal(run.exitCode, 0, `expected the thief's run to succeed\n${describeRun(run)}`);
});
