// Live progress of a run, one character per finished scenario: `.` passed,
// `F` failed, `-` not applicable, with a running count at the end of each
// line. Cucumber lets only one formatter write to stdout, and the `run`
// profile gives stdout to the requirement summary; so `bkp run` draws the
// progress from the same message stream, unless the chosen profile's own
// stdout formatter already shows progress.
import type { ScenarioOutcome } from './outcomes.js';

const WIDTH = 60;
const MARK: Record<ScenarioOutcome['status'], string> = { passed: '.', failed: 'F', 'not applicable': '-' };
const PROGRESS_FORMATTERS = new Set(['progress', 'progress-bar', 'pretty']);

export function profileShowsProgress(stdoutFormatter: string): boolean {
  return PROGRESS_FORMATTERS.has(stdoutFormatter);
}

export class ProgressLine {
  private count = 0;
  private failed = 0;

  constructor(private readonly write: (text: string) => void) {}

  onOutcome(outcome: ScenarioOutcome): void {
    this.count += 1;
    if (outcome.status === 'failed') this.failed += 1;
    this.write(MARK[outcome.status]);
    if (this.count % WIDTH === 0) this.write(`  ${this.count}${this.failed > 0 ? ` (${this.failed} failed)` : ''}\n`);
  }

  /** Ends the last, partial line. */
  end(): void {
    if (this.count % WIDTH !== 0) this.write(`  ${this.count}${this.failed > 0 ? ` (${this.failed} failed)` : ''}\n`);
  }
}
