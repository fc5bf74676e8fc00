// The benchmark report as JSON: reports/bench/<timestamp>.json, and the same
// as reports/bench/latest.json, so runs can be compared across commits and
// machines (docs/bench.md describes every field).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchOptions } from './options.js';
import type { MachineInfo } from './machine.js';
import type { PinPlan } from './server/cpu-pinning.js';
import type { JoinBenchmarkResult } from './join-benchmark.js';
import type { SuiteTiming } from './suite-timing.js';
import type { ContainerTiming } from './container-timing.js';

export interface BenchReport {
  schema: 'bkp-bench/1';
  startedAt: string;
  finishedAt: string;
  options: BenchOptions;
  machine: MachineInfo;
  pinning: PinPlan;
  loadAverage: { start: number[]; end: number[] };
  server: { store: string; signatureAlgorithmSuite: string; startMs: number };
  joins?: JoinBenchmarkResult;
  suite?: SuiteTiming | { skipped: true; reason: string };
  container?: ContainerTiming;
}

/** Writes the report under a timestamped name and as latest.json; returns the timestamped path. */
export function writeReport(dir: string, report: BenchReport, prefix = ''): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const file = path.join(dir, `${prefix}${stamp}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(path.join(dir, `${prefix}latest.json`), text);
  return file;
}
