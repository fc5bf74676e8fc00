import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, RENEWAL_RETRY_LIMIT, backoffCeilingMs, backoffDelayMs } from './retry-policy.js';
import { jitterSeed, seededRandom } from './random.js';

test('the ceiling doubles from the base and stops at the cap', () => {
  const ceilings = Array.from({ length: 9 }, (_, i) => backoffCeilingMs(i + 1, DEFAULT_RETRY_POLICY));
  assert.deepEqual(ceilings, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  assert.equal(backoffCeilingMs(10_000, DEFAULT_RETRY_POLICY), 60_000);
  assert.throws(() => backoffCeilingMs(0, DEFAULT_RETRY_POLICY), RangeError);
});

test('every delay is half-jittered: within [d/2, d], and actually spread', () => {
  const random = seededRandom(42);
  for (let attempt = 1; attempt <= RENEWAL_RETRY_LIMIT; attempt++) {
    const d = backoffCeilingMs(attempt, DEFAULT_RETRY_POLICY);
    const samples = Array.from({ length: 200 }, () => backoffDelayMs(attempt, DEFAULT_RETRY_POLICY, random));
    for (const s of samples) assert.ok(s >= d / 2 && s <= d, `attempt ${attempt}: ${s} outside [${d / 2}, ${d}]`);
    assert.ok(new Set(samples).size > 50, 'jitter must vary the delay');
    assert.ok(Math.min(...samples) < d * 0.6 && Math.max(...samples) > d * 0.9, 'jitter must cover the range');
  }
});

test('the extremes of the random source give exactly d/2 and d', () => {
  assert.equal(backoffDelayMs(3, DEFAULT_RETRY_POLICY, () => 0), 2_000);
  assert.equal(backoffDelayMs(3, DEFAULT_RETRY_POLICY, () => 0.9999999999), 4_000);
});

test('a seed replays the same jitter', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const c = seededRandom(8);
  const seqA = [a(), a(), a()];
  assert.deepEqual(seqA, [b(), b(), b()]);
  assert.notDeepEqual(seqA, [c(), c(), c()]);
  for (const x of seqA) assert.ok(x >= 0 && x < 1);
});

test('BKP_BOT_SEED is validated', () => {
  assert.equal(jitterSeed({ BKP_BOT_SEED: '123' }), 123);
  assert.equal(jitterSeed({ BKP_BOT_SEED: '4294967295' }), 4294967295);
  assert.throws(() => jitterSeed({ BKP_BOT_SEED: '-1' }), /BKP_BOT_SEED must be an integer/);
  assert.throws(() => jitterSeed({ BKP_BOT_SEED: '4294967296' }), /BKP_BOT_SEED/);
  const drawn = jitterSeed({});
  assert.ok(Number.isInteger(drawn) && drawn >= 0);
});
