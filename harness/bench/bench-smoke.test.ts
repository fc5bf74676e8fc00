// The benchmark's code path end to end, as small as it gets: the server
// child, seeding, one operation at one client for about a second, the
// crypto ceiling. It checks that figures come out, never how good they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from './cli.js';

test('a one-second renewal run at one client yields joins, latencies, a ceiling and a ratio', { timeout: 120_000 }, async () => {
  const report = await runBench({
    operations: ['renewal'], clients: [1], cellMs: 1_000, warmupMs: 300, ceilingMs: 300,
    quick: true, suite: false, container: false, pin: false, profile: false, store: 'memory', outDir: 'reports/bench',
  }, () => {});
  const [figure, ...others] = report.joins?.figures ?? [];
  assert.ok(figure, 'one figure');
  assert.equal(others.length, 0);
  assert.equal(figure.failed, 0, JSON.stringify(figure.errors));
  assert.ok(figure.ok > 0, 'some renewals completed');
  assert.ok(figure.latency.p99Ms >= figure.latency.p50Ms && figure.latency.p50Ms > 0);
  assert.ok(figure.serverCpuMsPerJoin > 0);
  assert.ok(report.joins!.ceiling.operations.renewal.joinsPerSecond > 0);
  assert.ok(Number.isFinite(figure.ratioToCeiling) && Number.isFinite(figure.cpuRatioToCeiling));
  assert.equal(report.pinning.pinned, false);
  assert.deepEqual(report.suite, { skipped: true, reason: 'not asked for (--suite)' });
});
