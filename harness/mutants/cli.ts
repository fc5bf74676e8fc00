// `npm run mutants`: tries every listed mutant (reference/mutants/mutants.ts)
// against the scenarios of the requirement it breaks, prints the verdicts
// and the mutation score per requirement area, writes
// reports/mutants/summary.json, and exits 1 when a mutant survived or could
// not be judged (2 on a usage error). See docs/mutants.md.
//   npm run mutants -- [--only id,…] [--side server|bot] [--list] [--jobs n] [--timeout seconds]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../target/schema.js';
import { listing, problems, progressLine, resultTable, scoreTable, summaryJson } from './report.js';
import { tryMutants } from './runner.js';
import { MutantUsageError, parseMutantArgs, selectMutants } from './selection.js';

const SUMMARY = path.join(PROJECT_ROOT, 'reports/mutants/summary.json');

async function main(): Promise<number> {
  const options = parseMutantArgs(process.argv.slice(2));
  const mutants = selectMutants(options);
  if (options.list) {
    process.stdout.write(`${listing(mutants)}\n`);
    return 0;
  }
  if (mutants.length === 0) throw new MutantUsageError('no mutant selected');
  // Bot mutants first: their scenarios start processes and take longest, so the jobs end together.
  const ordered = [...mutants].sort((a, b) => (a.side === b.side ? 0 : a.side === 'bot' ? -1 : 1));
  process.stdout.write(`Trying ${ordered.length} mutants, ${options.jobs} at a time, each in a process of its own with BKP_MUTANT set\n`);
  const started = new Date();
  let done = 0;
  const results = await tryMutants(ordered, options.jobs, options.timeoutMs, (r) => process.stdout.write(`${progressLine(r, ++done, ordered.length)}\n`));
  const finished = new Date();
  // The report follows the list's order, whatever order they ran in.
  results.sort((a, b) => mutants.indexOf(a.mutant) - mutants.indexOf(b.mutant));
  mkdirSync(path.dirname(SUMMARY), { recursive: true });
  writeFileSync(SUMMARY, `${JSON.stringify(summaryJson(results, started, finished, options.jobs), null, 2)}\n`);
  const wall = ((finished.getTime() - started.getTime()) / 1000).toFixed(1);
  process.stdout.write(`\n${resultTable(results)}\n\n${scoreTable(results)}\n\nwall time ${wall} s; summary: ${path.relative(PROJECT_ROOT, SUMMARY)}\n`);
  const issues = problems(results);
  for (const line of issues) process.stdout.write(`${line}\n`);
  return issues.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  if (!(err instanceof MutantUsageError)) throw err;
  process.stderr.write(`mutants: ${err.message}\n`);
  process.exitCode = 2;
}
