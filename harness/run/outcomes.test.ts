// The outcome collector on a hand-written message stream: the worst step
// decides, a skipped scenario is not applicable, an Examples row keeps its
// own line, a retried attempt counts once, run-level failures are harness errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as messages from '@cucumber/messages';
import { OutcomeCollector, requirementIds } from './outcomes.js';

const ts = { seconds: 0, nanos: 0 };
const ok = { status: 'PASSED', duration: ts } as messages.TestStepResult;

function stream(): messages.Envelope[] {
  const feature = {
    children: [
      { scenario: { id: 's1', location: { line: 5 }, examples: [] } },
      { rule: { children: [{ scenario: { id: 's2', location: { line: 10 }, examples: [{ tableBody: [{ id: 'r1', location: { line: 14 } }, { id: 'r2', location: { line: 15 } }] }] } }] } },
    ],
  };
  const pickle = (id: string, name: string, ast: string[], tags: string[]) => ({ pickle: { id, uri: 'features/x.feature', name, astNodeIds: ast, tags: tags.map((t) => ({ name: t })) } });
  const run = (tc: string, pickleId: string, attempt: string, results: messages.TestStepResult[], retried = false) => [
    { testCase: { id: tc, pickleId } },
    { testCaseStarted: { id: attempt, testCaseId: tc } },
    ...results.map((r) => ({ testStepFinished: { testCaseStartedId: attempt, testStepResult: r } })),
    { testCaseFinished: { testCaseStartedId: attempt, willBeRetried: retried } },
  ];
  return [
    { gherkinDocument: { feature } },
    pickle('p1', 'plain', ['s1'], ['@BKP-ONB-001', '@needs-clock-control']),
    pickle('p2', 'row one', ['s2', 'r1'], ['@BKP-SUI-002']),
    pickle('p3', 'row two', ['s2', 'r2'], []),
    ...run('t1', 'p1', 'a1', [ok, { status: 'FAILED', message: 'expected 403\n  at step', duration: ts } as messages.TestStepResult, { status: 'SKIPPED', duration: ts } as messages.TestStepResult]),
    ...run('t2', 'p2', 'a2', [{ status: 'SKIPPED', duration: ts } as messages.TestStepResult]),
    ...run('t3', 'p3', 'a3', [{ status: 'FAILED', duration: ts } as messages.TestStepResult], true),
    ...run('t3', 'p3', 'a4', [ok, ok]),
    { testRunHookFinished: { testRunHookStartedId: 'h', result: { status: 'FAILED', message: 'AfterAll: server did not stop', duration: ts }, timestamp: ts } },
  ] as unknown as messages.Envelope[];
}

test('outcomes: worst step, not applicable, Examples rows, retries, harness errors', () => {
  const heard: string[] = [];
  const c = new OutcomeCollector({ onOutcome: (o) => heard.push(o.status) });
  for (const e of stream()) c.onEnvelope(e);
  assert.deepEqual(c.outcomes(), [
    { name: 'plain', uri: 'features/x.feature', lines: [5], tags: ['@BKP-ONB-001', '@needs-clock-control'], status: 'failed', message: 'expected 403' },
    { name: 'row one', uri: 'features/x.feature', lines: [10, 14], tags: ['@BKP-SUI-002'], status: 'not applicable' },
    { name: 'row two', uri: 'features/x.feature', lines: [10, 15], tags: [], status: 'passed' },
  ]);
  assert.deepEqual(heard, ['failed', 'not applicable', 'passed']);
  assert.deepEqual(c.harnessErrors, ['a BeforeAll/AfterAll hook failed: AfterAll: server did not stop']);
  assert.deepEqual(requirementIds(c.outcomes()[0]!), ['BKP-ONB-001']);
});
