// One soak: the server child (unpinned: the soak is about memory, not
// speed), a fleet of bots, clients abandoning joins, the virtual clock moved
// on in steps so certificates expire and bots recover, and the server's
// memory sampled throughout. At the end every client stops, and the soak
// waits for the server's open join streams to drain: any stream still open
// after the stream deadline has passed is a leak.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBenchServer } from '../server/bench-server.js';
import type { BenchServer } from '../server/bench-server.js';
import { planPinning } from '../server/cpu-pinning.js';
import { loadAverage, machineInfo } from '../machine.js';
import type { MachineInfo } from '../machine.js';
import { advanceClock, serverClock } from '../control-calls.js';
import { prepareFleet } from './fleet.js';
import { ClockGate } from './clock-gate.js';
import type { FleetCounts } from './fleet.js';
import { ABANDON_MODES, prepareAbandoningClients } from './abandoning-clients.js';
import type { AbandonMode } from './abandoning-clients.js';
import { memoryTrend, sampleOf } from './memory-trend.js';
import type { MemorySample, MemoryTrend } from './memory-trend.js';
import type { SoakOptions } from './soak-options.js';
import { JOIN_ATTEMPTS_KEPT } from '../../../reference/auth/join/join-attempts.js';

export interface SoakReport {
  schema: 'bkp-soak/1';
  startedAt: string;
  finishedAt: string;
  options: SoakOptions;
  machine: MachineInfo;
  loadAverage: { start: number[]; end: number[] };
  fleet: FleetCounts;
  abandoned: Record<AbandonMode, number>;
  surprises: Record<string, number>;
  clockSteps: number;
  samples: MemorySample[];
  /** Where the slopes start: the warm-up time, or later if the join attempt record was not full by then. */
  warmupEndS: number;
  trend: MemoryTrend;
  /** Join streams still open once every client had stopped and the deadline had passed. */
  openStreamsAtEnd: number;
  drainMs: number;
  verdict: { ok: boolean; reasons: string[]; notes: string[] };
}

const ABANDONING_TOKENS = 4;

export async function runSoak(o: SoakOptions, log: (line: string) => void): Promise<SoakReport> {
  const startedAt = new Date().toISOString();
  const startLoad = loadAverage();
  const dataDir = o.store === 'sqlite' ? mkdtempSync(path.join(os.tmpdir(), 'bkp-soak-')) : undefined;
  const server = await startBenchServer({ store: dataDir ? { kind: 'sqlite', dataDir } : { kind: 'memory' }, streamTimeoutMs: o.streamTimeoutMs }, planPinning(false));
  log(`server pid ${server.pid} (${o.store}), stream deadline ${o.streamTimeoutMs} ms; ${o.bots} bots, ${(o.durationMs / 1000).toFixed(0)} s`);
  try {
    return await soak(server, o, startedAt, startLoad, log);
  } finally {
    await server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function soak(server: BenchServer, o: SoakOptions, startedAt: string, startLoad: number[], log: (line: string) => void): Promise<SoakReport> {
  const fleet = await prepareFleet(server, o.bots, o.paceMs, o.offlineShare);
  const abandoning = await prepareAbandoningClients(server, ABANDONING_TOKENS, o.streamTimeoutMs);
  let now = await serverClock(server);
  let stopped = false;
  let clockSteps = 0;
  const t0 = performance.now();
  const joins = () => fleet.counts.onboardings + fleet.counts.renewals + fleet.counts.recoveries;
  const abandonedSoFar = () => Object.values(abandoning.counts).reduce((a, b) => a + b, 0);

  const samples: MemorySample[] = [];
  const sample = async () => {
    const s = sampleOf((performance.now() - t0) / 1000, await server.stats({ gc: true }), joins(), abandonedSoFar(), loadAverage()[0]);
    samples.push(s);
    log(`${s.atS.toFixed(0).padStart(5)} s  heap ${s.heapUsedMb.toFixed(1)} MB  rss ${s.rssMb.toFixed(1)} MB  streams ${s.openStreams}  joins ${s.joins}  abandoned ${s.abandoned}  load ${s.loadAverage1m}`);
  };
  const every = (ms: number, task: () => Promise<void>) => {
    let running = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(task).catch((err: unknown) => log(`background task failed: ${err instanceof Error ? err.message : String(err)}`));
    }, ms);
    return async () => {
      clearInterval(timer);
      await running;
    };
  };

  await sample();
  const gate = new ClockGate();
  const stopClock = every(o.clockEveryMs, () => gate.step(async () => {
    now = await advanceClock(server, o.clockStepMs);
    clockSteps++;
  }));
  const inFlight = new Set<Promise<void>>();
  let mode = 0;
  const stopAbandoning = every(o.abandonEveryMs, async () => {
    const p = abandoning.abandon(ABANDON_MODES[mode++ % ABANDON_MODES.length] as AbandonMode).finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  const stopSampling = every(o.sampleEveryMs, sample);
  const fleetDone = fleet.run(() => stopped, () => now, gate);

  await new Promise((r) => setTimeout(r, o.durationMs));
  stopped = true;
  await stopAbandoning();
  await stopClock();
  await stopSampling();
  await fleetDone;
  await Promise.all(inFlight);

  // Every client has stopped; whatever the server still serves must end by its deadline.
  const drainStart = performance.now();
  let open = (await server.stats()).openStreams;
  while (open > 0 && performance.now() - drainStart < o.streamTimeoutMs + 5_000) {
    await new Promise((r) => setTimeout(r, 100));
    open = (await server.stats()).openStreams;
  }
  const drainMs = performance.now() - drainStart;
  await sample();

  // The warm-up lasts until the server's bounded record of join attempts is
  // full as well: until then it grows by design.
  const full = samples.find((s) => s.joins + s.abandoned >= JOIN_ATTEMPTS_KEPT);
  const warmupEndS = Math.max(o.warmupMs / 1000, full?.atS ?? Infinity);
  const trend = memoryTrend(samples, Number.isFinite(warmupEndS) ? warmupEndS : o.warmupMs / 1000);
  const reasons: string[] = [];
  const notes: string[] = [];
  if (!full) notes.push(`the server's record of the last ${JOIN_ATTEMPTS_KEPT} join attempts never filled up: the slopes include it filling; run longer`);
  if (open > 0) reasons.push(`${open} join stream(s) still open ${Math.round(drainMs)} ms after the last client stopped`);
  if (!(trend.heapSlopeMbPerMin <= o.maxHeapSlopeMbPerMin)) reasons.push(`heap grows ${trend.heapSlopeMbPerMin.toFixed(2)} MB/min after the warm-up (limit ${o.maxHeapSlopeMbPerMin})`);
  if (!(trend.nativeSlopeMbPerMin <= o.maxNativeSlopeMbPerMin)) reasons.push(`RSS outside the V8 heap grows ${trend.nativeSlopeMbPerMin.toFixed(2)} MB/min after the warm-up (limit ${o.maxNativeSlopeMbPerMin})`);
  const failures = Object.values(fleet.counts.failures).reduce((a, b) => a + b, 0);
  if (failures > 0) reasons.push(`${failures} fleet join(s) failed unexpectedly`);
  const surprises = Object.values(abandoning.surprises).reduce((a, b) => a + b, 0);
  if (surprises > 0) reasons.push(`${surprises} abandoned join(s) did not go as planned`);
  return {
    schema: 'bkp-soak/1',
    startedAt,
    finishedAt: new Date().toISOString(),
    options: o,
    machine: machineInfo(),
    loadAverage: { start: startLoad, end: loadAverage() },
    fleet: fleet.counts,
    abandoned: abandoning.counts,
    surprises: abandoning.surprises,
    clockSteps,
    samples,
    warmupEndS: Number.isFinite(warmupEndS) ? warmupEndS : o.warmupMs / 1000,
    trend,
    openStreamsAtEnd: open,
    drainMs,
    verdict: { ok: reasons.length === 0, reasons, notes },
  };
}
