// A run's message stream read back as scenarios: every pickle of the corpus
// (Cucumber emits them all, selected or not), and for those that ran, how
// they ended, the step that failed and what was attached. The conformance
// report and the matrix are computed from this, never from logs.
import type * as messages from '@cucumber/messages';

/** How a scenario ended. `error` is the suite's fault (an undefined, ambiguous or pending step), not the target's. */
export type ScenarioStatus = 'passed' | 'failed' | 'not applicable' | 'error';

export interface Attachment {
  mediaType: string;
  fileName?: string;
  body: string;
}

export interface ScenarioRun {
  status: ScenarioStatus;
  /** The failing step as written ("When the bot joins …"), or the hook that failed. */
  failedStep?: string;
  message?: string;
  attachments: Attachment[];
  durationMs: number;
}

export interface ScenarioRecord {
  pickleId: string;
  name: string;
  uri: string;
  /** The Scenario's line, or for an outline row the Examples row's line. */
  line: number;
  tags: string[];
  /** Absent when the scenario was not selected for this run. */
  run?: ScenarioRun;
}

export interface RunModel {
  scenarios: ScenarioRecord[];
  startedAt?: string;
  finishedAt?: string;
  /** Failures outside any scenario: run hooks, a run-level exception. */
  harnessErrors: string[];
}

const RANK: Record<string, number> = { PASSED: 0, SKIPPED: 1, FAILED: 2, PENDING: 3, UNDEFINED: 3, AMBIGUOUS: 3, UNKNOWN: 3 };

type GherkinChild = { scenario?: { id: string; location: { line: number }; examples: readonly { tableBody: readonly { id: string; location: { line: number } }[] }[] }; rule?: { children: readonly GherkinChild[] } };

function timestampMs(t: messages.Timestamp): number {
  return Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
}

function iso(t: messages.Timestamp): string {
  return new Date(timestampMs(t)).toISOString();
}

export function buildRunModel(envelopes: Iterable<messages.Envelope>): RunModel {
  const lineOf = new Map<string, number>();
  const indexLines = (children: readonly GherkinChild[]): void => {
    for (const child of children) {
      if (child.rule) indexLines(child.rule.children);
      if (!child.scenario) continue;
      lineOf.set(child.scenario.id, child.scenario.location.line);
      for (const ex of child.scenario.examples) for (const row of ex.tableBody) lineOf.set(row.id, row.location.line);
    }
  };
  const records = new Map<string, ScenarioRecord>();
  const pickleSteps = new Map<string, string>();
  const hooks = new Map<string, string>();
  const testCases = new Map<string, messages.TestCase>();
  const attempts = new Map<string, { testCaseId: string; worst: string; failedStep?: string; message?: string; attachments: Attachment[]; started: number }>();
  const model: RunModel = { scenarios: [], harnessErrors: [] };

  for (const e of envelopes) {
    if (e.gherkinDocument?.feature) indexLines(e.gherkinDocument.feature.children as readonly GherkinChild[]);
    if (e.hook) hooks.set(e.hook.id, e.hook.name ?? e.hook.tagExpression ?? `hook at ${e.hook.sourceReference.uri ?? '?'}:${e.hook.sourceReference.location?.line ?? '?'}`);
    if (e.pickle) {
      const p = e.pickle;
      for (const s of p.steps) pickleSteps.set(s.id, s.text);
      const lines = p.astNodeIds.map((id) => lineOf.get(id)).filter((l): l is number => l !== undefined);
      records.set(p.id, { pickleId: p.id, name: p.name, uri: p.uri, line: lines[lines.length - 1] ?? 0, tags: p.tags.map((t) => t.name) });
    }
    if (e.testRunStarted) model.startedAt = iso(e.testRunStarted.timestamp);
    if (e.testCase) testCases.set(e.testCase.id, e.testCase);
    if (e.testCaseStarted) attempts.set(e.testCaseStarted.id, { testCaseId: e.testCaseStarted.testCaseId, worst: 'PASSED', attachments: [], started: timestampMs(e.testCaseStarted.timestamp) });
    if (e.attachment?.testCaseStartedId) {
      const a = e.attachment;
      const body = a.contentEncoding === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body;
      attempts.get(a.testCaseStartedId ?? '')?.attachments.push({ mediaType: a.mediaType, ...(a.fileName ? { fileName: a.fileName } : {}), body });
    }
    if (e.testStepFinished) {
      const f = e.testStepFinished;
      const attempt = attempts.get(f.testCaseStartedId);
      const status = f.testStepResult.status;
      if (attempt && (RANK[status] ?? 3) > (RANK[attempt.worst] ?? 0)) {
        attempt.worst = status;
        const step = testCases.get(attempt.testCaseId)?.testSteps.find((s) => s.id === f.testStepId);
        const text = step?.pickleStepId ? pickleSteps.get(step.pickleStepId) : step?.hookId ? `hook: ${hooks.get(step.hookId) ?? step.hookId}` : undefined;
        if (text) attempt.failedStep = text;
        const message = f.testStepResult.message ?? f.testStepResult.exception?.message;
        if (message) attempt.message = message;
        else if (status !== 'SKIPPED') attempt.message = `step ${status.toLowerCase()}`;
      }
    }
    if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
      const attempt = attempts.get(e.testCaseFinished.testCaseStartedId);
      const record = records.get(testCases.get(attempt?.testCaseId ?? '')?.pickleId ?? '');
      if (attempt && record) record.run = scenarioRun(attempt, timestampMs(e.testCaseFinished.timestamp));
    }
    if (e.testRunHookFinished?.result.status === 'FAILED') model.harnessErrors.push(`a BeforeAll/AfterAll hook failed: ${firstLine(e.testRunHookFinished.result.message)}`);
    if (e.testRunFinished) {
      model.finishedAt = iso(e.testRunFinished.timestamp);
      if (e.testRunFinished.exception) model.harnessErrors.push(`the run ended with ${e.testRunFinished.exception.type}: ${firstLine(e.testRunFinished.exception.message)}`);
    }
  }
  model.scenarios = [...records.values()];
  return model;
}

function scenarioRun(a: { worst: string; failedStep?: string; message?: string; attachments: Attachment[]; started: number }, finished: number): ScenarioRun {
  const status: ScenarioStatus = a.worst === 'PASSED' ? 'passed' : a.worst === 'SKIPPED' ? 'not applicable' : a.worst === 'FAILED' ? 'failed' : 'error';
  const run: ScenarioRun = { status, attachments: a.attachments, durationMs: Math.max(0, finished - a.started) };
  if (status === 'failed' || status === 'error') {
    if (a.failedStep) run.failedStep = a.failedStep;
    run.message = a.message ?? 'no message';
  }
  return run;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]?.slice(0, 300) ?? '';
}

/** The reason a skipped scenario gave ("Not applicable: the target does not declare …"). */
export function notApplicableReason(run: ScenarioRun): string | undefined {
  return run.attachments.find((a) => a.mediaType === 'text/plain' && a.body.startsWith('Not applicable'))?.body;
}
