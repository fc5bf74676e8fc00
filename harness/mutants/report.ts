// What `npm run mutants` prints and keeps: a table of the mutants with their
// verdicts, the mutation score per requirement area and overall, and the
// same as JSON in reports/mutants/summary.json.
import type { Mutant } from '../../reference/mutants/mutants.js';
import { scores } from './verdict.js';
import type { MutantResult, Score } from './verdict.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function percent(s: Score): string {
  return `${(s.score * 100).toFixed(1)}%`;
}

/** One line per finished mutant, printed as the run goes. */
export function progressLine(r: MutantResult, done: number, total: number): string {
  const why = r.verdict === 'ERROR' ? `: ${r.error ?? ''}` : '';
  return `[${done}/${total}] ${r.mutant.id} ${r.verdict} (${r.run} run, ${r.failed} failed, ${r.seconds.toFixed(1)} s)${why}`;
}

export function resultTable(results: readonly MutantResult[]): string {
  return table(
    ['mutant', 'requirement', 'verdict', 'run/failed', 'seconds'],
    results.map((r) => [r.mutant.id, r.mutant.requirement, r.verdict, `${r.run}/${r.failed}`, r.seconds.toFixed(1)]),
  );
}

export function scoreTable(results: readonly MutantResult[]): string {
  const { overall, byArea } = scores(results);
  const rows = Object.entries(byArea).map(([area, s]) => [area, `${s.killed}/${s.total}`, percent(s)]);
  rows.push(['overall', `${overall.killed}/${overall.total}`, percent(overall)]);
  return table(['area', 'killed', 'mutation score'], rows);
}

/** The problems a reader must act on: survivors (a gap in the suite) and errors. */
export function problems(results: readonly MutantResult[]): string[] {
  return results.flatMap((r) => {
    if (r.verdict === 'SURVIVED') return [`SURVIVED ${r.mutant.id}: all ${r.run} scenarios of ${r.tags} passed against it (${r.mutant.description}); the suite does not check ${r.mutant.requirement} well enough`];
    if (r.verdict === 'ERROR') return [`ERROR ${r.mutant.id}: ${r.error ?? 'unknown'}`];
    return [];
  });
}

export function listing(mutants: readonly Mutant[]): string {
  return table(['mutant', 'side', 'requirement', 'description'], mutants.map((m) => [m.id, m.side, m.requirement, m.description]));
}

export function summaryJson(results: readonly MutantResult[], started: Date, finished: Date, jobs: number): unknown {
  const { overall, byArea } = scores(results);
  return {
    started: started.toISOString(),
    finished: finished.toISOString(),
    wall_seconds: (finished.getTime() - started.getTime()) / 1000,
    jobs,
    score: { overall, by_area: byArea },
    mutants: results.map((r) => ({
      id: r.mutant.id,
      side: r.mutant.side,
      requirement: r.mutant.requirement,
      area: r.mutant.area,
      description: r.mutant.description,
      tags: r.tags,
      verdict: r.verdict,
      scenarios_run: r.run,
      scenarios_failed: r.failed,
      seconds: Number(r.seconds.toFixed(1)),
      ...(r.killedBy ? { killed_by: r.killedBy } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}
