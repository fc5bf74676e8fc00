// From what a mutant's scenarios did to its verdict, and from the verdicts
// to the mutation score. KILLED: at least one scenario failed. SURVIVED:
// scenarios ran and all passed — the suite has a gap. ERROR: nothing can be
// said — no scenario ran (all not applicable, or none selected), the
// harness itself failed, or the run did not finish.
import type { Mutant } from '../../reference/mutants/mutants.js';
import type { ScenarioOutcome } from '../run/outcomes.js';

export type Verdict = 'KILLED' | 'SURVIVED' | 'ERROR';

/** What run-scenarios.ts writes. */
export interface ScenariosResult {
  outcomes: ScenarioOutcome[];
  harnessErrors: string[];
}

export interface MutantResult {
  mutant: Mutant;
  tags: string;
  verdict: Verdict;
  /** Scenarios that executed (passed or failed; not the ones skipped as not applicable). */
  run: number;
  failed: number;
  seconds: number;
  /** The first failing scenario: what killed the mutant. */
  killedBy?: { scenario: string; where: string; message: string };
  /** Why the verdict is ERROR. */
  error?: string;
}

export function judge(result: ScenariosResult | undefined, failure: string | undefined): { verdict: Verdict; run: number; failed: number; killedBy?: MutantResult['killedBy']; error?: string } {
  if (!result) return { verdict: 'ERROR', run: 0, failed: 0, error: failure ?? 'the scenarios did not report a result' };
  const ran = result.outcomes.filter((o) => o.status !== 'not applicable');
  const failed = ran.filter((o) => o.status === 'failed');
  const counts = { run: ran.length, failed: failed.length };
  // A broken harness kills nothing: its failures say nothing about the mutant.
  if (result.harnessErrors.length > 0) return { verdict: 'ERROR', ...counts, error: result.harnessErrors.join('; ') };
  if (failure) return { verdict: 'ERROR', ...counts, error: failure };
  if (ran.length === 0) return { verdict: 'ERROR', ...counts, error: 'no scenario ran' };
  const first = failed[0];
  if (!first) return { verdict: 'SURVIVED', ...counts };
  return { verdict: 'KILLED', ...counts, killedBy: { scenario: first.name, where: `${first.uri}:${first.lines.join(':')}`, message: first.message ?? '' } };
}

export interface Score {
  killed: number;
  total: number;
  /** killed / total, 0..1 (1 when there is nothing to kill). */
  score: number;
}

function score(results: readonly MutantResult[]): Score {
  const killed = results.filter((r) => r.verdict === 'KILLED').length;
  return { killed, total: results.length, score: results.length === 0 ? 1 : killed / results.length };
}

/** The mutation score overall and per requirement area (ERROR counts as not killed). */
export function scores(results: readonly MutantResult[]): { overall: Score; byArea: Record<string, Score> } {
  const areas = [...new Set(results.map((r) => r.mutant.area))].sort();
  return { overall: score(results), byArea: Object.fromEntries(areas.map((a) => [a, score(results.filter((r) => r.mutant.area === a))])) };
}
