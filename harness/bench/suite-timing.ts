// Wall time of the whole conformance suite against the in-process reference
// server, run exactly as a user runs it (`bkp run --target
// targets/reference-server.in-process.yaml`, its default two workers), with
// the verdict and scenario counts from its --summary-json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadAverage } from './machine.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET = 'targets/reference-server.in-process.yaml';

export interface SuiteTiming {
  command: string;
  wallMs: number;
  exitCode: number | null;
  verdict?: string;
  counts?: Record<string, number>;
  /** The suite's own measure (from its summary), without process start-up. */
  suiteWallMs?: number;
  loadAverage: { start: number[]; end: number[] };
}

export async function timeConformanceSuite(log: (line: string) => void): Promise<SuiteTiming> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bkp-bench-suite-'));
  const summaryFile = path.join(dir, 'summary.json');
  const args = [path.join(ROOT, 'bin/bkp.js'), 'run', '--target', TARGET, '--summary-json', summaryFile];
  log(`suite: node ${args.slice(0).join(' ')}`);
  const start = loadAverage();
  const t0 = performance.now();
  // Unpinned and with the machine to itself as far as this benchmark goes: the suite runs its own workers.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BKP_')));
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const wallMs = performance.now() - t0;
  const timing: SuiteTiming = { command: `node bin/bkp.js run --target ${TARGET}`, wallMs, exitCode, loadAverage: { start, end: loadAverage() } };
  try {
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { verdict?: string; counts?: Record<string, number>; wallTimeMs?: number };
    if (summary.verdict) timing.verdict = summary.verdict;
    if (summary.counts) timing.counts = summary.counts;
    if (summary.wallTimeMs !== undefined) timing.suiteWallMs = summary.wallTimeMs;
  } catch {
    // No summary: the exit code says what happened.
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return timing;
}
