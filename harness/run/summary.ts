// The end of a `bkp run`: the verdict, its exit code, and a summary a person
// reads in ten seconds (and CI reads as JSON with --summary-json).
//
// Exit codes (the contract CI relies on):
//   0  conformant: every executed scenario passed or is not applicable, and
//      the expectations file matches (its failures failed, nothing stale);
//      also 0 for SKIPPED (a container target without a container engine),
//      which prints a loud SKIPPED line and has verdict "skipped" — it is
//      not a pass, and CI that must not accept it reads the verdict;
//   1  not conformant: an unlisted failure, or a listed deviation that passed;
//   2  harness or configuration error, including a run that executed no scenario.
import type { Deviation, Judgement } from './expectations.js';
import type { ScenarioOutcome } from './outcomes.js';
import { requirementIds } from './outcomes.js';

export type Verdict = 'conformant' | 'not conformant' | 'skipped' | 'error';

export const EXIT_CODES: Record<Verdict, number> = { conformant: 0, skipped: 0, 'not conformant': 1, error: 2 };

export interface RunSummary {
  target: { name: string; role: 'server' | 'bot'; mode: string; file: string };
  seed: string;
  tags: string;
  /** The user narrowed the selection with --tags: the verdict covers those scenarios only. */
  filtered: boolean;
  /** --fail-fast: after a failure Cucumber skips the rest, which then count as not applicable. */
  failFast: boolean;
  wallTimeMs: number;
  counts: { passed: number; failed: number; notApplicable: number; expectedFailures: number; unexpectedPasses: number };
  failures: { scenario: string; name: string; requirements: string[]; message: string }[];
  expectedFailures: { scenario: string; name: string; reason: string }[];
  unexpectedPasses: { entry: string; reason: string }[];
  /** Listed deviations no executed scenario matched (a filtered run, or not applicable here). */
  notExercised: number;
  verdict: Verdict;
  reason: string;
  exitCode: number;
}

function place(o: ScenarioOutcome): string {
  return `${o.uri}:${o.lines[o.lines.length - 1] ?? 0}`;
}

function entryName(d: Deviation): string {
  return [d.scenario, d.requirement].filter(Boolean).join(' / ') || `deviations[${d.index}]`;
}

export function verdictOf(j: Judgement, harnessErrors: readonly string[]): { verdict: Verdict; reason: string } {
  if (harnessErrors.length > 0) return { verdict: 'error', reason: harnessErrors.join('; ') };
  const executed = j.passed.length + j.failed.length + j.expectedFailures.length;
  if (executed === 0) return { verdict: 'error', reason: 'no scenario ran' };
  if (j.failed.length > 0 || j.unexpectedPasses.length > 0) {
    const parts = [j.failed.length > 0 ? `${j.failed.length} scenario(s) failed` : '', j.unexpectedPasses.length > 0 ? `${j.unexpectedPasses.length} listed deviation(s) now pass: remove them from the expectations file` : ''];
    return { verdict: 'not conformant', reason: parts.filter(Boolean).join('; ') };
  }
  const known = j.expectedFailures.length > 0 ? ` (${j.expectedFailures.length} known deviation(s) failed as listed)` : '';
  return { verdict: 'conformant', reason: `every executed scenario passed or is not applicable${known}` };
}

export function summarise(base: Pick<RunSummary, 'target' | 'seed' | 'tags' | 'filtered' | 'failFast' | 'wallTimeMs'>, j: Judgement, harnessErrors: readonly string[]): RunSummary {
  const { verdict, reason } = verdictOf(j, harnessErrors);
  return {
    ...base,
    counts: { passed: j.passed.length, failed: j.failed.length, notApplicable: j.notApplicable.length, expectedFailures: j.expectedFailures.length, unexpectedPasses: j.unexpectedPasses.length },
    failures: j.failed.map((o) => ({ scenario: place(o), name: o.name, requirements: requirementIds(o), message: o.message ?? '' })),
    expectedFailures: j.expectedFailures.map(({ outcome, deviation }) => ({ scenario: place(outcome), name: outcome.name, reason: deviation.reason })),
    unexpectedPasses: j.unexpectedPasses.map((d) => ({ entry: entryName(d), reason: d.reason })),
    notExercised: j.notExercised.length,
    verdict,
    reason,
    exitCode: EXIT_CODES[verdict],
  };
}

/** A summary for a run that never started its scenarios: SKIPPED, or a configuration error. */
export function earlyEnd(base: Pick<RunSummary, 'target' | 'seed' | 'tags' | 'filtered' | 'failFast' | 'wallTimeMs'>, verdict: 'skipped' | 'error', reason: string): RunSummary {
  return {
    ...base,
    counts: { passed: 0, failed: 0, notApplicable: 0, expectedFailures: 0, unexpectedPasses: 0 },
    failures: [], expectedFailures: [], unexpectedPasses: [], notExercised: 0,
    verdict, reason, exitCode: EXIT_CODES[verdict],
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatSummary(s: RunSummary): string {
  const c = s.counts;
  const lines = [
    '',
    '== bkp run',
    `target      ${s.target.name} (${s.target.role}, ${s.target.mode})  ${s.target.file}`,
    `selection   ${s.tags}`,
    `seed        ${s.seed}`,
    `wall time   ${seconds(s.wallTimeMs)}`,
    `scenarios   ${c.passed} passed, ${c.failed} failed, ${c.notApplicable} not applicable, ${c.expectedFailures} expected failures, ${c.unexpectedPasses} unexpected passes`,
  ];
  if (s.failures.length > 0) {
    lines.push('', 'failed:');
    for (const f of s.failures) lines.push(`  ${f.scenario}  ${f.name}  [${f.requirements.join(' ') || 'no requirement tag'}]`, `      ${f.message}`);
  }
  if (s.expectedFailures.length > 0) {
    lines.push('', 'failed as expected (expectations file):');
    for (const f of s.expectedFailures) lines.push(`  ${f.scenario}  ${f.name}  — ${f.reason}`);
  }
  if (s.unexpectedPasses.length > 0) {
    lines.push('', 'listed as deviations but passed (remove them from the expectations file):');
    for (const u of s.unexpectedPasses) lines.push(`  ${u.entry}  — ${u.reason}`);
  }
  if (s.failFast && c.failed + c.expectedFailures > 0) lines.push('', 'note: --fail-fast stopped the run at the first failure; the scenarios after it were skipped and count as not applicable');
  if (s.notExercised > 0) lines.push('', `${s.notExercised} listed deviation(s) not exercised by this run`);
  const scope = s.filtered && s.verdict === 'conformant' ? ' for the selected scenarios only (--tags): a conformance claim needs a full run' : '';
  lines.push('', `verdict     ${s.verdict === 'skipped' ? 'SKIPPED' : s.verdict.toUpperCase()}: ${s.reason}${scope} (exit ${s.exitCode})`);
  return `${lines.join('\n')}\n`;
}
