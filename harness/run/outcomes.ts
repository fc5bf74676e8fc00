// From Cucumber's message stream to one outcome per scenario: passed,
// failed, or not applicable (skipped: the target lacks a capability the
// scenario needs), with where it is written (file and lines) and the
// requirement tags it carries. Also catches what is not a scenario's fault:
// a run-level hook that failed, or a run that ended in an exception.
import type * as messages from '@cucumber/messages';

export type OutcomeStatus = 'passed' | 'failed' | 'not applicable';

export interface ScenarioOutcome {
  name: string;
  uri: string;
  /** The Scenario's line, and for a Scenario Outline also its Examples row's line. */
  lines: number[];
  tags: string[];
  status: OutcomeStatus;
  /** The first line of the failing step's message. */
  message?: string;
}

const RANK: Record<string, number> = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 4, FAILED: 5, UNKNOWN: 5 };

type GherkinChild = { scenario?: { id: string; location: { line: number }; examples: readonly { tableBody: readonly { id: string; location: { line: number } }[] }[] }; rule?: { children: readonly GherkinChild[] } };

export class OutcomeCollector {
  private readonly lineOf = new Map<string, number>();
  private readonly pickles = new Map<string, messages.Pickle>();
  private readonly testCases = new Map<string, string>();
  private readonly started = new Map<string, string>();
  private readonly worst = new Map<string, { status: string; message?: string }>();
  private readonly finished = new Map<string, ScenarioOutcome>();
  /** Failures that belong to no scenario: run hooks, a run-level exception. */
  readonly harnessErrors: string[] = [];

  /** The listener hears of each scenario as it ends, and of the run's end (live progress). */
  constructor(private readonly listener: { onOutcome?(o: ScenarioOutcome): void; onRunFinished?(): void } = {}) {}

  onEnvelope(e: messages.Envelope): void {
    if (e.gherkinDocument?.feature) this.indexLines(e.gherkinDocument.feature.children as readonly GherkinChild[]);
    if (e.pickle) this.pickles.set(e.pickle.id, e.pickle);
    if (e.testCase) this.testCases.set(e.testCase.id, e.testCase.pickleId);
    if (e.testCaseStarted) this.started.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
    if (e.testStepFinished) this.step(e.testStepFinished);
    if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) this.finish(e.testCaseFinished.testCaseStartedId);
    if (e.testRunHookFinished && e.testRunHookFinished.result.status === 'FAILED') {
      this.harnessErrors.push(`a BeforeAll/AfterAll hook failed: ${firstLine(e.testRunHookFinished.result.message)}`);
    }
    if (e.testRunFinished) this.listener.onRunFinished?.();
    if (e.testRunFinished?.exception) {
      this.harnessErrors.push(`the run ended with ${e.testRunFinished.exception.type}: ${firstLine(e.testRunFinished.exception.message)}`);
    }
  }

  outcomes(): ScenarioOutcome[] {
    return [...this.finished.values()];
  }

  private indexLines(children: readonly GherkinChild[]): void {
    for (const child of children) {
      if (child.rule) this.indexLines(child.rule.children);
      const scenario = child.scenario;
      if (!scenario) continue;
      this.lineOf.set(scenario.id, scenario.location.line);
      for (const examples of scenario.examples) for (const row of examples.tableBody) this.lineOf.set(row.id, row.location.line);
    }
  }

  private step(f: messages.TestStepFinished): void {
    const status = f.testStepResult.status;
    const current = this.worst.get(f.testCaseStartedId);
    if (current && (RANK[status] ?? 5) <= (RANK[current.status] ?? 0)) return;
    const message = f.testStepResult.message ?? f.testStepResult.exception?.message;
    this.worst.set(f.testCaseStartedId, { status, ...(message ? { message: firstLine(message) } : {}) });
  }

  private finish(attempt: string): void {
    const pickle = this.pickles.get(this.testCases.get(this.started.get(attempt) ?? '') ?? '');
    if (!pickle) return;
    const worst = this.worst.get(attempt) ?? { status: 'PASSED' };
    const status: OutcomeStatus = worst.status === 'PASSED' ? 'passed' : worst.status === 'SKIPPED' ? 'not applicable' : 'failed';
    const lines = pickle.astNodeIds.map((id) => this.lineOf.get(id)).filter((l): l is number => l !== undefined);
    const outcome: ScenarioOutcome = { name: pickle.name, uri: pickle.uri, lines, tags: pickle.tags.map((t) => t.name), status };
    if (status === 'failed') outcome.message = worst.message ?? `step status ${worst.status}`;
    this.finished.set(pickle.id, outcome);
    this.listener.onOutcome?.(outcome);
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]?.slice(0, 300) ?? '';
}

/** The requirement ids a scenario carries (`@BKP-ONB-001` → `BKP-ONB-001`). */
export function requirementIds(outcome: ScenarioOutcome): string[] {
  return outcome.tags.filter((t) => /^@BKP-[A-Z]{2,4}-\d{3}$/.test(t)).map((t) => t.slice(1));
}
