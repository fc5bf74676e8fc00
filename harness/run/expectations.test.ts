// Expectations and the verdict: expected failures, unexpected failures,
// stale entries (a listed deviation that passes), entries a filtered run
// did not exercise, and the exit code each leads to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../target/errors.js';
import { PROJECT_ROOT } from '../target/schema.js';
import { judge, loadExpectations, matches } from './expectations.js';
import type { Deviation } from './expectations.js';
import type { ScenarioOutcome } from './outcomes.js';
import { formatSummary, summarise } from './summary.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bkp-expectations-'));

function outcome(name: string, status: ScenarioOutcome['status'], lines: number[], tags: string[]): ScenarioOutcome {
  return { name, uri: 'features/a.feature', lines, tags, status, ...(status === 'failed' ? { message: 'expected 403, got 200' } : {}) };
}

const onboarding = outcome('A bot onboards', 'failed', [10], ['@BKP-ONB-001']);
const outlineRow = outcome('Suites <suite>', 'passed', [20, 31], ['@BKP-SUI-001']);
const recovery = outcome('A bot recovers', 'passed', [40], ['@BKP-REC-001']);
const notApplicable = outcome('Clock moves', 'not applicable', [50], ['@BKP-ONB-002', '@needs-clock-control']);

function deviation(d: Omit<Deviation, 'index' | 'reason'>, index = 0): Deviation {
  return { index, reason: 'known', ...d };
}

test('a deviation matches by file:line (scenario or Examples row), by name, by requirement, or by both', () => {
  assert.ok(matches(deviation({ scenario: 'features/a.feature:10' }), onboarding));
  assert.ok(matches(deviation({ scenario: 'features/a.feature:31' }), outlineRow));
  assert.ok(matches(deviation({ scenario: 'features/a.feature:20' }), outlineRow));
  assert.ok(matches(deviation({ scenario: 'A bot onboards' }), onboarding));
  assert.ok(matches(deviation({ requirement: 'BKP-ONB-001' }), onboarding));
  assert.ok(!matches(deviation({ requirement: 'BKP-ONB-001', scenario: 'features/a.feature:11' }), onboarding));
  assert.ok(!matches(deviation({ scenario: 'features/b.feature:10' }), onboarding));
});

test('no expectations: a failure makes the run not conformant (exit 1), naming the scenario and its requirements', () => {
  const s = summarise(base(), judge([onboarding, recovery, notApplicable], []), []);
  assert.equal(s.verdict, 'not conformant');
  assert.equal(s.exitCode, 1);
  assert.deepEqual(s.counts, { passed: 1, failed: 1, notApplicable: 1, expectedFailures: 0, unexpectedPasses: 0 });
  assert.deepEqual(s.failures, [{ scenario: 'features/a.feature:10', name: 'A bot onboards', requirements: ['BKP-ONB-001'], message: 'expected 403, got 200' }]);
  assert.match(formatSummary(s), /failed:\n {2}features\/a\.feature:10 {2}A bot onboards {2}\[BKP-ONB-001\]\n {6}expected 403, got 200/);
});

test('a listed failure is expected: conformant (exit 0), with the reason shown', () => {
  const s = summarise(base(), judge([onboarding, recovery], [deviation({ requirement: 'BKP-ONB-001' })]), []);
  assert.equal(s.verdict, 'conformant');
  assert.equal(s.exitCode, 0);
  assert.equal(s.counts.expectedFailures, 1);
  assert.match(formatSummary(s), /failed as expected \(expectations file\):\n {2}features\/a\.feature:10 {2}A bot onboards {2}— known/);
});

test('a listed deviation that passed is an unexpected pass (exit 1); one that did not run is only noted', () => {
  const j = judge([onboarding, recovery, notApplicable], [
    deviation({ requirement: 'BKP-ONB-001' }, 0),
    deviation({ scenario: 'A bot recovers' }, 1),
    deviation({ requirement: 'BKP-ONB-002' }, 2),
    deviation({ requirement: 'BKP-LCK-001' }, 3),
  ]);
  assert.deepEqual(j.unexpectedPasses.map((d) => d.index), [1]);
  assert.deepEqual(j.notExercised.map((d) => d.index), [2, 3]);
  const s = summarise(base(), j, []);
  assert.equal(s.exitCode, 1);
  assert.match(s.reason, /1 listed deviation\(s\) now pass: remove them from the expectations file/);
});

test('zero executed scenarios, or a harness error, is exit 2', () => {
  const none = summarise(base(), judge([notApplicable], []), []);
  assert.deepEqual([none.verdict, none.reason, none.exitCode], ['error', 'no scenario ran', 2]);
  const broken = summarise(base(), judge([recovery], []), ['a BeforeAll/AfterAll hook failed: boom']);
  assert.deepEqual([broken.verdict, broken.exitCode], ['error', 2]);
});

test('the shipped expectations files load and are empty', () => {
  assert.deepEqual(loadExpectations(path.join(PROJECT_ROOT, 'expectations/reference-server.yaml')), []);
  assert.deepEqual(loadExpectations(path.join(PROJECT_ROOT, 'expectations/reference-bot.yaml')), []);
});

test('a malformed expectations file is a configuration error naming the entry', () => {
  const file = path.join(dir, 'e.yaml');
  const problems = (text: string) => {
    writeFileSync(file, text);
    try {
      loadExpectations(file);
    } catch (e) {
      assert.ok(e instanceof ConfigurationError);
      return e.lines().join('\n');
    }
    return assert.fail('accepted');
  };
  assert.match(problems('version: 1\ndeviations:\n  - scenario: x\n'), /e\.yaml: deviations\[0\]\.reason: missing required field/);
  assert.match(problems('version: 1\ndeviations:\n  - reason: r\n'), /e\.yaml: deviations\[0\]: names neither a scenario nor a requirement/);
  assert.match(problems('version: 1\ndeviations:\n  - { requirement: ONB-1, reason: r }\n'), /deviations\[0\]\.requirement: must match pattern/);
  const ok = (writeFileSync(file, 'version: 1\ndeviations:\n  - { scenario: "features/a.feature:10", reason: r, issue: "https://x.invalid/1" }\n'), loadExpectations(file));
  assert.deepEqual(ok, [{ index: 0, scenario: 'features/a.feature:10', reason: 'r', issue: 'https://x.invalid/1' }]);
});

function base() {
  return { target: { name: 't', role: 'server' as const, mode: 'in-process', file: 't.yaml' }, seed: 's', tags: 'not @client', filtered: false, failFast: false, wallTimeMs: 1500 };
}
