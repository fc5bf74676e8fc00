// A Cucumber formatter that ends a run with the requirement view: scenarios
// and MUST/SHOULD/MAY verdicts per area, and one line saying whether the
// implementation is conformant. Built from the message stream only.
import { Formatter } from '@cucumber/cucumber';
import type { IFormatterOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import { loadCatalogue } from '../catalogue/catalogue.js';
import type { Execution } from './requirement-summary.js';
import { formatAreaTable, summariseByArea, verdictLine } from './requirement-summary.js';

const WORST: Record<string, number> = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 4, FAILED: 5, UNKNOWN: 5 };

export default class RequirementSummaryFormatter extends Formatter {
  static override readonly documentation = 'Prints scenario results and requirement verdicts per area.';

  constructor(options: IFormatterOptions) {
    super(options);
    const pickles = new Map<string, messages.Pickle>();
    const testCases = new Map<string, string>();
    const started = new Map<string, string>();
    const worst = new Map<string, string>();
    const executions = new Map<string, Execution>();

    options.eventBroadcaster.on('envelope', (e: messages.Envelope) => {
      if (e.pickle) pickles.set(e.pickle.id, e.pickle);
      if (e.testCase) testCases.set(e.testCase.id, e.testCase.pickleId);
      if (e.testCaseStarted) started.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
      if (e.testStepFinished) {
        const id = e.testStepFinished.testCaseStartedId;
        const status = e.testStepFinished.testStepResult.status;
        if ((WORST[status] ?? 5) > (WORST[worst.get(id) ?? 'PASSED'] ?? 0)) worst.set(id, status);
      }
      if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
        const attempt = e.testCaseFinished.testCaseStartedId;
        const pickle = pickles.get(testCases.get(started.get(attempt) ?? '') ?? '');
        if (!pickle) return;
        const status = worst.get(attempt) ?? 'PASSED';
        executions.set(pickle.id, {
          name: pickle.name,
          uri: pickle.uri,
          tags: pickle.tags.map((t) => t.name),
          status: status === 'PASSED' ? 'passed' : status === 'SKIPPED' ? 'skipped' : 'failed',
        });
      }
      if (e.testRunFinished) this.report([...executions.values()]);
    });
  }

  private report(executions: Execution[]): void {
    const catalogue = loadCatalogue();
    const areas = summariseByArea(catalogue, executions);
    const verdict = verdictLine(areas);
    this.log(`\nRequirements (${catalogue.requirements.length} in the catalogue, ${executions.length} scenarios executed)\n\n`);
    this.log(`${formatAreaTable(areas)}\n\n${verdict.text}\n`);
  }
}
