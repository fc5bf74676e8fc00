// `npm run fuzz -- --runs 100000 [--seed N] [--only join-messages,control-api]`:
// property-based fuzzing of the reference auth server's join stream and
// control API (docs/fuzzing.md). Prints the cases run per property, every
// finding with its shrunk counterexample, and the wall time; exits 1 on a
// finding.
import { Command, InvalidArgumentError, Option } from 'commander';
import { PROPERTIES, runFuzz } from './fuzz-run.js';
import type { FuzzReport } from './fuzz-run.js';

const program = new Command('fuzz')
  .description('fuzz the reference auth server: join streams and the control API')
  .addOption(new Option('--runs <n>', 'cases in all, shared evenly by the properties').default(3_000).argParser(positiveInt))
  .addOption(new Option('--seed <n>', 'fast-check seed (default: random; printed, to replay a run)').argParser(integer))
  .addOption(new Option('--only <names>', `comma-separated properties: ${PROPERTIES.map((p) => p.name).join(', ')}`).argParser((v) => v.split(',').map((s) => s.trim()).filter(Boolean)))
  .addOption(new Option('--details', 'count how cases ended by status and details, not by status alone'))
  .addOption(new Option('--answer-timeout <ms>', 'longest wait for one answer of the server before a case counts as hung').default(5_000).argParser(positiveInt))
  .action(async (opts: { runs: number; seed?: number; only?: string[]; answerTimeout: number; details?: boolean }) => {
    const unknown = (opts.only ?? []).filter((n) => !PROPERTIES.some((p) => p.name === n));
    if (unknown.length > 0) program.error(`unknown properties: ${unknown.join(', ')}`, { exitCode: 2 });
    const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
    console.log(`fuzz: seed ${seed}, ${opts.runs} cases (replay: npm run fuzz -- --seed ${seed} --runs ${opts.runs}${opts.only ? ` --only ${opts.only.join(',')}` : ''})`);
    const report = await runFuzz({ runs: opts.runs, seed, only: opts.only ?? [], answerTimeoutMs: opts.answerTimeout, detailedOutcomes: opts.details === true, progress: (line) => console.log(line) });
    print(report, opts.details === true);
    process.exitCode = findings(report) > 0 ? 1 : 0;
  });

function print(report: FuzzReport, details: boolean): void {
  console.log('');
  for (const p of report.properties) {
    console.log(`${p.name.padEnd(14)} ${String(p.cases).padStart(7)} cases  ${p.finding ? 'FINDING' : '0 findings'}  ${(p.ms / 1000).toFixed(1)} s  (${p.executions} executions)`);
    console.log(`${''.padEnd(16)}${p.outcomes.slice(0, details ? 80 : 10).map(([label, n]) => `${label} ${n}`).join(details ? '\n                ' : ', ')}`);
  }
  for (const p of report.properties.filter((x) => x.finding)) {
    const f = p.finding as NonNullable<typeof p.finding>;
    console.log(`\nFINDING in ${p.name} (after ${p.cases} cases, shrunk ${f.shrinks} times; replay: --seed ${report.seed} --only ${p.name} --runs ${p.cases}):`);
    console.log(`  counterexample: ${f.counterexample}`);
    console.log(`  ${f.error.split('\n').join('\n  ')}`);
  }
  for (const problem of report.afterwards) console.log(`\nFINDING after the run: ${problem}`);
  const total = report.properties.reduce((n, p) => n + p.cases, 0);
  console.log(`\ntotal: ${total} cases, ${findings(report)} findings, seed ${report.seed}, wall time ${(report.ms / 1000).toFixed(1)} s`);
}

function findings(report: FuzzReport): number {
  return report.properties.filter((p) => p.finding).length + report.afterwards.length;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n | 0;
}

await program.parseAsync();
