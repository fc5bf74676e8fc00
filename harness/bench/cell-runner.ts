// One measurement: `clients` workers joining back to back for `durationMs`
// (or until a seeded pool runs out), every join timed from the first byte of
// its connection to the end of its stream, with the server's and the load
// generator's CPU time over the same window.
import { performance } from 'node:perf_hooks';
import type { BenchServer } from './server/bench-server.js';
import type { Workload } from './operations.js';
import { loadAverage } from './machine.js';
import { summariseLatencies } from './stats.js';
import type { LatencySummary } from './stats.js';

export interface CellResult {
  ok: number;
  failed: number;
  /** Failure texts and how often each came. */
  errors: Record<string, number>;
  elapsedMs: number;
  joinsPerSecond: number;
  latency: LatencySummary;
  /** Share of one core the server used over the window (100 = one core busy). */
  serverCpuPercent: number;
  /** Server CPU time per successful join: what one join costs the server. */
  serverCpuMsPerJoin: number;
  generatorCpuPercent: number;
  /** The seeded pool ran out before the time was up. */
  exhausted: boolean;
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
}

export async function runCell(server: BenchServer, workload: Workload, clients: number, durationMs: number): Promise<CellResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let failed = 0;
  let exhausted = false;
  const loadStart = loadAverage();
  const serverBefore = (await server.stats()).cpu;
  const generatorBefore = process.cpuUsage();
  const start = performance.now();
  const deadline = start + durationMs;

  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const join = workload.next(w);
      if (!join) {
        exhausted = true;
        return;
      }
      const t0 = performance.now();
      let verdict;
      try {
        verdict = await join();
      } catch (err) {
        verdict = { ok: false as const, error: err instanceof Error ? err.message : String(err) };
      }
      if (verdict.ok) {
        latencies.push(performance.now() - t0);
      } else {
        failed++;
        errors[verdict.error] = (errors[verdict.error] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));

  const elapsedMs = performance.now() - start;
  const generator = process.cpuUsage(generatorBefore);
  const serverAfter = (await server.stats()).cpu;
  const serverCpuMs = (serverAfter.user - serverBefore.user + serverAfter.system - serverBefore.system) / 1000;
  const ok = latencies.length;
  return {
    ok,
    failed,
    errors,
    elapsedMs,
    joinsPerSecond: (ok * 1000) / elapsedMs,
    latency: summariseLatencies(latencies),
    serverCpuPercent: (100 * serverCpuMs) / elapsedMs,
    serverCpuMsPerJoin: ok > 0 ? serverCpuMs / ok : NaN,
    generatorCpuPercent: (100 * (generator.user + generator.system)) / 1000 / elapsedMs,
    exhausted,
    loadAverage: { start: loadStart, end: loadAverage() },
  };
}
