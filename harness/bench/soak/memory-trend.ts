// Memory over a soak: samples of the server child's heap (after a full GC,
// so garbage not yet collected does not read as growth) and RSS, and the
// least-squares slope of each after the warm-up, in MB per minute. RSS is
// also split: V8 grows its heap reservation (heap total) for minutes while
// the live heap stays flat — sizing, not a leak — so the native part, RSS
// minus heap total (buffers, TLS, SQLite, the allocator), is what shows a
// leak outside the JavaScript heap.
import { leastSquares } from '../stats.js';
import type { ServerStats } from '../server/ipc-protocol.js';

export interface MemorySample {
  /** Seconds since the soak started. */
  atS: number;
  heapUsedMb: number;
  heapTotalMb: number;
  rssMb: number;
  /** RSS minus the V8 heap reservation. */
  nativeMb: number;
  externalMb: number;
  openStreams: number;
  joins: number;
  abandoned: number;
  loadAverage1m: number;
}

export function sampleOf(atS: number, stats: ServerStats, joins: number, abandoned: number, loadAverage1m: number): MemorySample {
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;
  return {
    atS: Math.round(atS * 10) / 10,
    heapUsedMb: mb(stats.memory.heapUsed),
    heapTotalMb: mb(stats.memory.heapTotal),
    rssMb: mb(stats.memory.rss),
    nativeMb: mb(stats.memory.rss - stats.memory.heapTotal),
    externalMb: mb(stats.memory.external),
    openStreams: stats.openStreams,
    joins,
    abandoned,
    loadAverage1m,
  };
}

export interface MemoryTrend {
  /** Samples the slopes are fitted to (those at or after the warm-up). */
  samplesUsed: number;
  heapSlopeMbPerMin: number;
  rssSlopeMbPerMin: number;
  nativeSlopeMbPerMin: number;
}

export function memoryTrend(samples: readonly MemorySample[], warmupS: number): MemoryTrend {
  const used = samples.filter((s) => s.atS >= warmupS);
  if (used.length < 2) return { samplesUsed: used.length, heapSlopeMbPerMin: NaN, rssSlopeMbPerMin: NaN, nativeSlopeMbPerMin: NaN };
  const slope = (pick: (s: MemorySample) => number) => leastSquares(used.map((s) => ({ x: s.atS / 60, y: pick(s) }))).slope;
  return {
    samplesUsed: used.length,
    heapSlopeMbPerMin: slope((s) => s.heapUsedMb),
    rssSlopeMbPerMin: slope((s) => s.rssMb),
    nativeSlopeMbPerMin: slope((s) => s.nativeMb),
  };
}
