import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TBOT_RETRY_DELAYS, ceilingMs, longestCycleWaitMs } from './retry-delays.js';

test('the ceilings double from the base and stop at the cap', () => {
  const delays = { baseMs: 200, maxMs: 800 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((k) => ceilingMs(k, delays)), [200, 400, 800, 800, 800, 800]);
});

test("tbot's own schedule: 1 s, 2 s, 4 s … capped at a minute", () => {
  assert.deepEqual([1, 2, 3, 6, 7, 8].map((k) => ceilingMs(k, TBOT_RETRY_DELAYS)), [1_000, 2_000, 4_000, 32_000, 60_000, 60_000]);
  assert.equal(ceilingMs(1_000, TBOT_RETRY_DELAYS), 60_000);
});

test('a cycle of 7 attempts waits at most the sum of its 6 ceilings', () => {
  assert.equal(longestCycleWaitMs({ baseMs: 200, maxMs: 800 }), 200 + 400 + 800 * 4);
  assert.equal(longestCycleWaitMs(TBOT_RETRY_DELAYS), 63_000);
});

test('attempt numbers start at 1', () => {
  assert.throws(() => ceilingMs(0, TBOT_RETRY_DELAYS), RangeError);
  assert.throws(() => ceilingMs(1.5, TBOT_RETRY_DELAYS), RangeError);
});
