// A daemon retrying failed joins (client notes §3.8, C-LC-3, C-LC-4): how
// many attempts one renewal interval allows, how far apart they are, and
// what happens when the server answers again. Times are real times at
// which the server's transcripts showed each join (support/join-watch.ts);
// the retry delays are the ones the scenario gave the bot ("Given the bot
// retries after … at first, doubling up to …").
import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { SeenJoin } from './support/join-watch.js';
import { POLL_MS } from './support/join-watch.js';
import { joinsSinceLastRun, sequence } from './support/transcripts.js';
import { currentWatch, describeSeen, retryDelays, runningDaemon, watchFromNow } from './support/daemon-scene.js';
import { RENEWAL_ATTEMPTS, ceilingMs, longestCycleWaitMs } from './support/retry-delays.js';
import { scenarioState } from './support/world.js';

/**
 * How far a measured gap may stray from the bot's wait: below, the error of
 * polling (a poll delayed by a busy event loop makes the gap before it look
 * longer and the one after it shorter); above, the failed join itself, the
 * next join's set-up (key generation, TLS) and the polls, on a loaded CI
 * machine. Generous on purpose: a flaky timing check is worse than a loose
 * one, and the mutants it must catch (no wait, no growth, no limit) miss the
 * bounds by far more than this.
 */
const EARLY_SLACK_MS = 6 * POLL_MS;
const LATE_SLACK_MS = 1_500;
/** A bot still retrying would try again within its largest delay plus one join (slow on a loaded machine); this much more silence means it gave up. */
const GIVE_UP_SILENCE_EXTRA_MS = 1_500;

/** The series of failed joins the last "gives up" sentence observed. */
const series = scenarioState(() => ({ joins: undefined as SeenJoin[] | undefined }));

function theSeries(world: BkpWorld): SeenJoin[] {
  const joins = series(world).joins;
  assert.ok(joins, 'say first "Then the daemon gives up after … joins through token …"');
  return joins;
}

function gaps(joins: SeenJoin[]): number[] {
  return joins.slice(1).map((j, i) => j.seenAtMs - (joins[i] as SeenJoin).seenAtMs);
}

/*
 * BKP-RTY-007/008: the daemon keeps trying within one interval, then stops:
 * no new join for its largest delay plus a second. Every join must have
 * been refused with the status given (e.g. a scripted outage).
 */
Then(/^the daemon gives up after (at most|exactly) (\d+) joins through token "([^"]+)", each refused with ([A-Z_]+)$/, { timeout: 180_000 }, async function (this: BkpWorld, how: string, count: string, token: string, code: string) {
  const watch = currentWatch(this);
  assert.equal(watch.token, token, `the daemon was watched for joins through token "${watch.token}"`);
  const delays = retryDelays(this);
  const silence = delays.maxMs + GIVE_UP_SILENCE_EXTRA_MS;
  const budget = longestCycleWaitMs(delays) + RENEWAL_ATTEMPTS * LATE_SLACK_MS + silence + 10_000;
  await watch.until((js) => js.length > 0, 15_000, () => `the daemon made no join through token "${token}"`);
  await watch.quietFor(silence, budget);
  const joins = await watch.until((js) => js.every((j) => j.transcript.end), 15_000, (js) => `joins still open: ${describeSeen(js)}`);
  series(this).joins = joins;
  const n = Number(count);
  if (how === 'exactly') assert.equal(joins.length, n, `the daemon made ${joins.length} joins before it went quiet: ${describeSeen(joins)}`);
  else assert.ok(joins.length <= n, `the daemon made ${joins.length} joins, more than ${n}: ${describeSeen(joins)}`);
  for (const j of joins) assert.equal(j.transcript.end?.code, code, `join #${j.transcript.id} was not refused with ${code}: ${describeSeen(joins)}`);
  runningDaemon(this);
});

/* BKP-RTY-005: never a busy loop. */
Then('those joins were at least half the first retry delay apart', function (this: BkpWorld) {
  const joins = theSeries(this);
  const least = retryDelays(this).baseMs / 2 - EARLY_SLACK_MS;
  const measured = gaps(joins);
  measured.forEach((g, i) => assert.ok(g >= least, `joins ${i + 1} and ${i + 2} were ${g} ms apart, less than half the first retry delay (allowing ${EARLY_SLACK_MS} ms for measuring): ${describeSeen(joins)}`));
});

/* BKP-RTY-006: the k-th wait lies in [d/2, d], d = min(base·2^(k−1), max); measured gaps get a little slack each way. */
Then('the waits between those joins doubled from the first retry delay up to the largest, each between half and all of its delay', function (this: BkpWorld) {
  const joins = theSeries(this);
  assert.ok(joins.length >= 3, `too few joins to see the waits grow: ${describeSeen(joins)}`);
  const delays = retryDelays(this);
  const report = gaps(joins).map((g, i) => {
    const d = ceilingMs(i + 1, delays);
    return { g, d, ok: g >= d / 2 - EARLY_SLACK_MS && g <= d + LATE_SLACK_MS };
  });
  const shown = report.map((r, i) => `wait ${i + 1}: ${r.g} ms (expected ${r.d / 2}–${r.d} ms)${r.ok ? '' : ' ✗'}`).join('\n');
  assert.ok(report.every((r) => r.ok), `the waits between the joins did not follow the backoff (slack −${EARLY_SLACK_MS}/+${LATE_SLACK_MS} ms for measuring):\n${shown}`);
});

// ---------------------------------------------------------------- silence

/* Nothing happens by itself before the renewal interval: watched from now on. */
Then('no join through token {string} reaches the server for {duration}', { timeout: 120_000 }, async function (this: BkpWorld, token: string, ms: number) {
  const watch = await watchFromNow(this, token);
  await new Promise((r) => setTimeout(r, ms));
  assert.deepEqual(watch.joins().map((j) => j.transcript.id), [], `joins reached the server: ${describeSeen(watch.joins())}`);
});

/* BKP-RTY-012: a whole cycle of attempts that fail before joining (the longest the delays allow, plus a second). */
Then('no join through token {string} reaches the server while the daemon retries', { timeout: 180_000 }, async function (this: BkpWorld, token: string) {
  const watch = currentWatch(this);
  assert.equal(watch.token, token);
  const waitMs = longestCycleWaitMs(retryDelays(this)) + RENEWAL_ATTEMPTS * 100 + 1_000;
  await new Promise((r) => setTimeout(r, waitMs));
  assert.deepEqual(watch.joins().map((j) => j.transcript.id), [], `joins reached the server: ${describeSeen(watch.joins())}`);
  runningDaemon(this);
});

/* BKP-RTY-011: a one-shot run's joins (E1's marks: since its join sentence began). */
Then('exactly {int} join(s) through token {string} reached the server during the bot\'s last run', async function (this: BkpWorld, count: number, token: string) {
  const joins = await joinsSinceLastRun(this, token);
  assert.equal(joins.length, count, `joins during the bot's last run: ${joins.map((t) => `#${t.id} ${sequence(t)}`).join(' | ') || 'none'}`);
});

// ---------------------------------------------------------------- the server answers again

/*
 * Ends a scripted outage: every fault on joins through the token is
 * removed; other faults stay, each with the firings it has left (the
 * control API only replaces whole scripts).
 */
When('the server answers joins through token {string} normally again', async function (this: BkpWorld, token: string) {
  const current = await this.control.getScript();
  const kept: Json[] = [];
  for (const { fired, held: _held, ...fault } of current.faults) {
    if (fault.token === token) continue;
    const times = Number(fault.times ?? 1);
    if (times === 0 || times - fired > 0) kept.push({ ...fault, times: times === 0 ? 0 : times - fired });
  }
  if (kept.length === 0) await this.control.deleteScript();
  else await this.control.putScript({ seed: current.seed, faults: kept });
});
