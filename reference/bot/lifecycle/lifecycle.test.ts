// The bot's lifecycle (client notes §3.8) with scripted operations and a
// recording timer: which joins happen, with which identity, what is logged,
// how long each wait is, and the exit code.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateAuthority } from '../../crypto/index.js';
import { BotJoinError } from '../join/join-types.js';
import { ConfigError } from '../config/config-error.js';
import { memoryLog } from '../log.js';
import { FakeOperations, fakeIdentity, recordingScheduler } from './test-fakes.js';
import type { JoinStep } from './test-fakes.js';
import { LifecycleEvents } from './lifecycle-events.js';
import { runBot } from './bot-runner.js';
import { seededRandom } from './random.js';
import { RENEWAL_RETRY_LIMIT, backoffCeilingMs } from './retry-policy.js';
import type { StoredIdentity } from './bot-operations.js';
import { UNUSABLE_IDENTITY_WARNING } from './renewal.js';
import { PROCEED_WITH_OLD_IDENTITY } from './startup.js';

const RETRY = { baseMs: 1_000, maxMs: 60_000 };
const INTERVAL = 20 * 60_000;
let certPem = '';
before(async () => {
  certPem = (await createCertificateAuthority({ clusterName: 'lc.test', algorithm: 'ed25519', now: new Date('2030-01-01T00:00:00Z') })).certificatePem;
});

const refused = () => new BotJoinError('PERMISSION_DENIED', 'no recovery attempts remaining', false);

async function run(steps: JoinStep[], opts: {
  stored?: StoredIdentity; oneshot?: boolean; writable?: boolean;
  script?: (ms: number, index: number, ops: FakeOperations) => 'elapse' | 'reload' | 'stop';
} = {}) {
  const ops = new FakeOperations(steps, opts.stored);
  if (opts.writable === false) ops.writable = false;
  const log = memoryLog();
  const holder: { events?: LifecycleEvents } = {};
  const script = opts.script ?? ((_ms, i) => (i === 0 ? 'stop' : 'elapse'));
  const scheduler = recordingScheduler(() => holder.events as LifecycleEvents, (ms, i) => script(ms, i, ops));
  const events = new LifecycleEvents(scheduler);
  holder.events = events;
  const code = await runBot(ops, log, events, {
    oneshot: opts.oneshot ?? false, renewalIntervalMs: INTERVAL, certificateTtlMs: 3_600_000, retry: RETRY, random: seededRandom(1),
  });
  return { code, ops, log, delays: scheduler.delays };
}

test('C-LC-1: a valid stored identity is presented (an authenticated renewal)', async () => {
  const old = fakeIdentity(certPem, 'old');
  const fresh = fakeIdentity(certPem, 'new');
  const { code, ops, log, delays } = await run([{ ok: fresh }], { stored: { identity: old, state: 'valid' } });
  assert.equal(code, 0);
  assert.deepEqual(ops.joins, [old]);
  assert.deepEqual(ops.saved, [fresh]);
  assert.ok(log.lines.some((l) => /^INFO Bot identity renewed kind=renewal not_after=20\d\d-\d\d-\d\dT/.test(l)), log.lines.join('\n'));
  assert.deepEqual(delays, [INTERVAL], 'then it waits one renewal interval (stopped there)');
});

for (const state of ['expired', 'not-yet-valid', 'other-token'] as const) {
  test(`C-LC-2: a ${state} identity is discarded with tbot's warning; the join is unauthenticated (a recovery)`, async () => {
    const { code, ops, log } = await run([{ ok: fakeIdentity(certPem, 'new'), hadJoinState: true }], {
      stored: { identity: fakeIdentity(certPem, 'old'), state },
    });
    assert.equal(code, 0);
    assert.deepEqual(ops.joins, [undefined]);
    assert.ok(log.lines.some((l) => l.startsWith(`WARN ${UNUSABLE_IDENTITY_WARNING} reason=${state}`)));
    assert.ok(log.lines.some((l) => l.startsWith('INFO Bot identity renewed kind=recovery')));
  });
}

test('a first join without identity or join state is an onboarding', async () => {
  const { log } = await run([{ ok: fakeIdentity(certPem, 'new') }]);
  assert.ok(log.lines.some((l) => l.startsWith('INFO Bot identity renewed kind=onboarding')));
});

test('C-LC-3: no identity and a refused join → exit 1 with "joining with token" and the server\'s message and code', async () => {
  const { code, log } = await run([{ fail: refused() }]);
  assert.equal(code, 1);
  assert.ok(log.lines.includes('ERROR joining with token: no recovery attempts remaining code=PERMISSION_DENIED'), log.lines.join('\n'));
});

test('a configuration problem found at join time exits 2', async () => {
  const { code } = await run([{ fail: new ConfigError('no registration secret') }]);
  assert.equal(code, 2);
});

test('C-LC-7: unwritable storage at startup exits 3 with tbot\'s message', async () => {
  const { code, log, ops } = await run([], { writable: false });
  assert.equal(code, 3);
  assert.equal(ops.joins.length, 0);
  assert.ok(log.lines.some((l) => l.startsWith('ERROR Cannot write to destination /fake/storage, aborting.')));
});

test('C-LC-3: a failed renewal with an old identity keeps running and retries with growing, jittered waits', async () => {
  const old = fakeIdentity(certPem, 'old');
  const steps: JoinStep[] = [{ fail: refused() }, { fail: refused() }, { fail: refused() }, { ok: fakeIdentity(certPem, 'new') }];
  // Let the three retry waits elapse, stop during the first renewal interval.
  const { code, ops, log, delays } = await run(steps, { stored: { identity: old, state: 'valid' }, script: (_ms, i) => (i === 3 ? 'stop' : 'elapse') });
  assert.equal(code, 0);
  assert.equal(ops.joins.length, 4);
  assert.ok(log.lines.some((l) => l.startsWith(`ERROR ${PROCEED_WITH_OLD_IDENTITY} error="no recovery attempts remaining" code=PERMISSION_DENIED`)));
  assert.equal(log.lines.filter((l) => l.startsWith('INFO Unable to renew bot identity on startup. Waiting to retry')).length, 3);
  delays.slice(0, 3).forEach((ms, i) => {
    const d = backoffCeilingMs(i + 1, RETRY);
    assert.ok(ms >= d / 2 && ms <= d, `retry ${i + 1}: ${ms} outside [${d / 2}, ${d}]`);
  });
  assert.equal(delays[3], INTERVAL);
});

test('C-LC-4: a failing interval makes exactly 7 attempts, 6 jittered backoffs, then waits for the next interval', async () => {
  const steps: JoinStep[] = [{ ok: fakeIdentity(certPem, 'first') }, ...Array.from({ length: RENEWAL_RETRY_LIMIT }, () => ({ fail: refused() }))];
  // delays: [interval, 6 backoffs, interval (stop)]
  const { code, ops, log, delays } = await run(steps, { script: (_ms, i) => (i === RENEWAL_RETRY_LIMIT ? 'stop' : 'elapse') });
  assert.equal(code, 0);
  assert.equal(ops.joins.length, 1 + RENEWAL_RETRY_LIMIT);
  assert.equal(delays.length, 2 + RENEWAL_RETRY_LIMIT - 1);
  assert.equal(delays[0], INTERVAL);
  const backoffs = delays.slice(1, RENEWAL_RETRY_LIMIT);
  backoffs.forEach((ms, i) => {
    const d = backoffCeilingMs(i + 1, RETRY);
    assert.ok(ms >= d / 2 && ms <= d, `backoff ${i + 1}: ${ms} outside [${d / 2}, ${d}]`);
    assert.ok(ms >= RETRY.baseMs / 2, 'never a busy loop');
  });
  assert.equal(delays.at(-1), INTERVAL);
  assert.ok(log.lines.includes('WARN All retry attempts exhausted. Will wait for next interval retry_limit=7'));
});

test('C-LC-5: a reload during the interval wait renews at once', async () => {
  const old = fakeIdentity(certPem, 'old');
  const steps: JoinStep[] = [{ ok: fakeIdentity(certPem, 'a') }, { ok: fakeIdentity(certPem, 'b') }];
  const { ops, delays } = await run(steps, { stored: { identity: old, state: 'valid' }, script: (_ms, i) => (i === 0 ? 'reload' : 'stop') });
  assert.equal(ops.joins.length, 2);
  assert.deepEqual(ops.joins[1], ops.saved[0], 'the second join presents the identity the first one saved');
  assert.deepEqual(delays, [INTERVAL, INTERVAL]);
});

test('C-LC-7: an unwritable storage during the loop fails each attempt before any join, and the bot keeps running', async () => {
  const steps: JoinStep[] = [{ ok: fakeIdentity(certPem, 'first') }];
  const { code, ops, log } = await run(steps, {
    script: (_ms, i, fake) => {
      if (i === 0) fake.writable = false; // the storage turns read-only during the first interval
      return i === RENEWAL_RETRY_LIMIT ? 'stop' : 'elapse';
    },
  });
  assert.equal(code, 0);
  assert.equal(ops.joins.length, 1, 'no join is attempted while the storage cannot be written');
  assert.equal(log.lines.filter((l) => l.includes('error="Cannot write to destination /fake/storage, aborting."')).length, RENEWAL_RETRY_LIMIT);
  assert.ok(log.lines.includes('WARN All retry attempts exhausted. Will wait for next interval retry_limit=7'));
});

test('C-LC-6: --oneshot exits 0 after one successful join, without waiting', async () => {
  const { code, delays } = await run([{ ok: fakeIdentity(certPem, 'a') }], { oneshot: true });
  assert.equal(code, 0);
  assert.deepEqual(delays, []);
});

test('C-LC-6: --oneshot exits non-zero when the renewal fails, even with an old identity', async () => {
  const { code, log } = await run([{ fail: refused() }], { oneshot: true, stored: { identity: fakeIdentity(certPem, 'old'), state: 'valid' } });
  assert.equal(code, 1);
  assert.ok(log.lines.some((l) => l.startsWith('ERROR renewing bot identity: no recovery attempts remaining code=PERMISSION_DENIED')));
});

test('a stop during a backoff ends the bot cleanly', async () => {
  const steps: JoinStep[] = [{ ok: fakeIdentity(certPem, 'first') }, { fail: refused() }];
  const { code, ops } = await run(steps, { script: (_ms, i) => (i === 1 ? 'stop' : 'elapse') });
  assert.equal(code, 0);
  assert.equal(ops.joins.length, 2);
});
