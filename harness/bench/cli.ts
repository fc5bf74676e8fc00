// `npm run bench`: starts the reference auth server in a child process (on
// a core of its own when it can), measures joins over real gRPC + TLS and the
// crypto-only ceiling, optionally the conformance suite's wall time, and the
// container target's start-to-ready time; prints a table and writes
// reports/bench/<timestamp>.json and latest.json. Figures only: nothing here
// passes or fails on speed (a failed join, though, exits 1).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULTS } from '../../reference/auth/auth-server.js';
import { exitOnOptionError, parseBenchOptions } from './options.js';
import type { BenchOptions } from './options.js';
import { loadAverage, machineInfo } from './machine.js';
import { pinThisProcess, planPinning, releaseThisProcess } from './server/cpu-pinning.js';
import { startBenchServer } from './server/bench-server.js';
import { runJoinBenchmark } from './join-benchmark.js';
import { timeConformanceSuite } from './suite-timing.js';
import { timeContainerStart } from './container-timing.js';
import type { BenchReport } from './report-file.js';
import { writeReport } from './report-file.js';
import { formatReport } from './report-table.js';

const logLine = (line: string) => process.stderr.write(`bench: ${line}\n`);

export async function runBench(options: BenchOptions, log: (line: string) => void = logLine): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const startLoad = loadAverage();
  const pinning = planPinning(options.pin);
  const dataDir = options.store === 'sqlite' ? mkdtempSync(path.join(os.tmpdir(), 'bkp-bench-')) : undefined;
  const report: BenchReport = {
    schema: 'bkp-bench/1', startedAt, finishedAt: '', options, machine: machineInfo(), pinning,
    loadAverage: { start: startLoad, end: [] },
    server: { store: options.store, signatureAlgorithmSuite: DEFAULTS.suite, startMs: 0 },
  };
  if (options.operations.length > 0) {
    const t0 = performance.now();
    const server = await startBenchServer({ store: dataDir ? { kind: 'sqlite', dataDir } : { kind: 'memory' } }, pinning);
    report.server.startMs = performance.now() - t0;
    log(`server pid ${server.pid} ready in ${report.server.startMs.toFixed(0)} ms at ${server.joinAddress}`);
    try {
      // After the child started: taskset on this process must not be inherited by it.
      pinThisProcess(pinning);
      report.joins = await runJoinBenchmark(server, {
        operations: options.operations,
        clients: options.clients,
        cellMs: options.cellMs,
        warmupMs: options.warmupMs,
        ceilingMs: options.ceilingMs,
        ...(options.profile ? { profileDir: path.join(options.outDir, 'profiles', startedAt.replace(/[:.]/g, '-')) } : {}),
        log,
      });
    } finally {
      releaseThisProcess(pinning);
      await server.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  report.suite = options.suite ? await timeConformanceSuite(log) : { skipped: true, reason: 'not asked for (--suite)' };
  if (options.container) report.container = await timeContainerStart(1, log);
  report.loadAverage.end = loadAverage();
  report.finishedAt = new Date().toISOString();
  return report;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    exitOnOptionError(err, 'bench');
  }
  const report = await runBench(options);
  const file = writeReport(options.outDir, report);
  process.stdout.write(`${formatReport(report)}\n\nreport: ${file}\n`);
  const failed = report.joins?.figures.some((f) => f.failed > 0) ?? false;
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  });
}
