import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leastSquares, percentile, summariseLatencies } from './stats.js';
import { memoryTrend } from './soak/memory-trend.js';
import type { MemorySample } from './soak/memory-trend.js';

test('percentiles by nearest rank: a value somebody saw, never an interpolation', () => {
  const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(percentile(values, 50), 5);
  assert.equal(percentile(values, 95), 10);
  assert.equal(percentile(values, 99), 10);
  assert.equal(percentile(values, 0), 1);
  assert.equal(percentile(values, 100), 10);
  assert.equal(percentile([42], 99), 42);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile(values, 101), RangeError);
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 99), 99);
  assert.equal(percentile(hundred, 95), 95);
  assert.deepEqual(values, [5, 1, 4, 2, 3, 10, 9, 8, 7, 6], 'the input is left as it was');
});

test('a latency summary of no joins is NaN, not zero', () => {
  const empty = summariseLatencies([]);
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.p99Ms) && Number.isNaN(empty.meanMs) && Number.isNaN(empty.maxMs));
  const s = summariseLatencies([2, 4, 6]);
  assert.deepEqual(s, { count: 3, meanMs: 4, p50Ms: 4, p95Ms: 6, p99Ms: 6, maxMs: 6 });
});

test('least squares: exact on a line, the trend through noise, refused without two x values', () => {
  const line = leastSquares([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]);
  assert.equal(line.slope, 2);
  assert.equal(line.intercept, 1);
  const flat = leastSquares([{ x: 0, y: 10 }, { x: 1, y: 11 }, { x: 2, y: 9 }, { x: 3, y: 10 }]);
  assert.ok(Math.abs(flat.slope) < 0.5);
  assert.throws(() => leastSquares([{ x: 1, y: 1 }]), RangeError);
  assert.throws(() => leastSquares([{ x: 1, y: 1 }, { x: 1, y: 2 }]), RangeError);
});

test('the memory trend leaves the warm-up out and reports MB per minute', () => {
  const sample = (atS: number, heapUsedMb: number, rssMb: number): MemorySample => ({
    atS, heapUsedMb, heapTotalMb: 60, rssMb, nativeMb: rssMb - 60, externalMb: 0, openStreams: 0, joins: 0, abandoned: 0, loadAverage1m: 0,
  });
  // Steep growth during the first minute (warm-up), then +0.5 MB/min heap and flat RSS.
  const samples = [sample(0, 10, 100), sample(30, 40, 150), sample(60, 50, 160), sample(120, 50.5, 160), sample(180, 51, 160)];
  const trend = memoryTrend(samples, 60);
  assert.equal(trend.samplesUsed, 3);
  assert.ok(Math.abs(trend.heapSlopeMbPerMin - 0.5) < 1e-9);
  assert.ok(Math.abs(trend.rssSlopeMbPerMin) < 1e-9);
  assert.ok(Math.abs(trend.nativeSlopeMbPerMin) < 1e-9);
  assert.ok(Number.isNaN(memoryTrend(samples, 170).heapSlopeMbPerMin), 'one sample has no slope');
});
