// `npm run bench:soak -- --duration 10m`: see soak-run.ts. Prints the memory
// samples, the slopes and the open stream count, writes
// reports/bench/soak-<timestamp>.json and soak-latest.json, and exits 1 when
// memory grows faster than the limits, a stream leaked, or a join failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exitOnOptionError } from '../options.js';
import { formatTable } from '../report-table.js';
import { parseSoakOptions } from './soak-options.js';
import type { SoakOptions } from './soak-options.js';
import { runSoak } from './soak-run.js';
import type { SoakReport } from './soak-run.js';

const log = (line: string) => process.stderr.write(`soak: ${line}\n`);

export function formatSoakReport(r: SoakReport): string {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  const out = [
    `soak ${r.startedAt}  ${r.machine.cpuModel} × ${r.machine.cpus}, Node ${r.machine.node}, ${'commit' in r.machine.git ? r.machine.git.commit.slice(0, 12) + (r.machine.git.dirty ? ' (modified)' : '') : r.machine.git.error}`,
    `${(r.options.durationMs / 1000).toFixed(0)} s, ${r.options.bots} bots, store ${r.options.store}, clock +${r.options.clockStepMs / 60_000} min every ${r.options.clockEveryMs} ms (${r.clockSteps} steps); load average ${r.loadAverage.start.join(' ')} at start, ${r.loadAverage.end.join(' ')} at end`,
    `joins: ${r.fleet.onboardings} onboardings, ${r.fleet.renewals} renewals, ${r.fleet.recoveries} recoveries; abandoned: ${Object.entries(r.abandoned).map(([m, n]) => `${n} ${m}`).join(', ')}`,
    '',
    formatTable(
      ['t (s)', 'heap MB', 'heap total MB', 'RSS MB', 'RSS - heap total MB', 'external MB', 'open streams', 'joins', 'abandoned', 'load 1m'],
      r.samples.map((s) => [f(s.atS, 0), f(s.heapUsedMb), f(s.heapTotalMb), f(s.rssMb), f(s.nativeMb), f(s.externalMb), String(s.openStreams), String(s.joins), String(s.abandoned), f(s.loadAverage1m, 2)]),
    ),
    '',
    `after the ${r.warmupEndS.toFixed(0)} s warm-up (${r.trend.samplesUsed} samples): heap ${f(r.trend.heapSlopeMbPerMin, 3)} MB/min (limit ${r.options.maxHeapSlopeMbPerMin}), RSS outside the heap ${f(r.trend.nativeSlopeMbPerMin, 3)} MB/min (limit ${r.options.maxNativeSlopeMbPerMin}), RSS ${f(r.trend.rssSlopeMbPerMin, 3)} MB/min`,
    `open join streams at the end: ${r.openStreamsAtEnd} (drained in ${f(r.drainMs, 0)} ms)`,
  ];
  for (const [what, n] of Object.entries(r.fleet.failures)) out.push(`FAILED ×${n}: ${what}`);
  for (const [what, n] of Object.entries(r.surprises)) out.push(`SURPRISE ×${n}: ${what}`);
  for (const note of r.verdict.notes) out.push(`note: ${note}`);
  out.push(r.verdict.ok ? 'verdict: OK' : `verdict: FAIL — ${r.verdict.reasons.join('; ')}`);
  return out.join('\n');
}

async function main(): Promise<void> {
  let options: SoakOptions;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (err) {
    exitOnOptionError(err, 'bench:soak');
  }
  const report = await runSoak(options, log);
  mkdirSync(options.outDir, { recursive: true });
  const file = path.join(options.outDir, `soak-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(path.join(options.outDir, 'soak-latest.json'), text);
  process.stdout.write(`${formatSoakReport(report)}\n\nreport: ${file}\n`);
  process.exitCode = report.verdict.ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  });
}
