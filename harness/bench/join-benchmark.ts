// The join figures of one benchmark run: a warm-up, the crypto-only ceiling
// (timed inside the server's process, on its core), then every operation at
// every concurrency, each measured on a freshly reset server so that one
// measurement's leftovers (tokens, bot instances, audit events) cannot slow
// the next. Pools for once-per-token operations are sized from the fastest
// rate already seen at that concurrency, so seeding stays proportionate to
// what will be used.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BenchServer } from './server/bench-server.js';
import type { CeilingReport } from './crypto-ceiling.js';
import { runCell } from './cell-runner.js';
import type { CellResult } from './cell-runner.js';
import { prepareWorkload } from './operations.js';
import type { OperationName } from './operation-names.js';
import { resetServer } from './control-calls.js';
import { loadAverage } from './machine.js';

export interface JoinFigure extends CellResult {
  operation: OperationName;
  clients: number;
  /** The operation's crypto-only ceiling, joins per CPU-second. */
  ceilingJoinsPerSecond: number;
  /** Measured joins/s over the ceiling: what the run achieved on the machine as it was. */
  ratioToCeiling: number;
  /** Joins per server CPU-second over the ceiling: the same ratio, immune to other processes taking the core. */
  cpuRatioToCeiling: number;
  profile?: string;
}

export interface JoinBenchmarkPlan {
  operations: OperationName[];
  clients: number[];
  cellMs: number;
  warmupMs: number;
  ceilingMs: number;
  /** Where CPU profiles go; none are taken when absent. */
  profileDir?: string;
  log: (line: string) => void;
}

export interface JoinBenchmarkResult {
  ceiling: CeilingReport & { loadAverage: { start: number[]; end: number[] } };
  figures: JoinFigure[];
}

const MAX_POOL = 5_000;
const DEFAULT_RATE = 100;

export async function runJoinBenchmark(server: BenchServer, plan: JoinBenchmarkPlan): Promise<JoinBenchmarkResult> {
  plan.log(`warm-up: ${plan.warmupMs} ms of renewals`);
  await resetServer(server);
  await runCell(server, await prepareWorkload('renewal', server, 8, 0), 8, plan.warmupMs);

  plan.log(`crypto ceiling: ${plan.ceilingMs} ms in the server process`);
  const start = loadAverage();
  const ceiling = { ...(await server.ceiling(plan.ceilingMs)), loadAverage: { start: [...start], end: [...loadAverage()] } };

  const figures: JoinFigure[] = [];
  const rateSeen = new Map<number, number>();
  const largest = Math.max(...plan.clients);
  for (const operation of plan.operations) {
    for (const clients of plan.clients) {
      await resetServer(server);
      // Onboardings run faster than renewals: room for three times the fastest rate seen so far.
      const rate = rateSeen.get(clients) ?? DEFAULT_RATE;
      const budget = Math.min(MAX_POOL, Math.ceil((rate * plan.cellMs * 3) / 1000) + 2 * clients + 10);
      plan.log(`${operation} × ${clients}: seeding${['onboarding-key', 'onboarding-secret', 'rotation'].includes(operation) ? ` a pool of ${budget}` : ''}`);
      const workload = await prepareWorkload(operation, server, clients, budget);
      const profile = plan.profileDir && clients === largest ? path.join(plan.profileDir, `${operation}-c${clients}.cpuprofile`) : undefined;
      if (profile) await server.profileStart();
      const cell = await runCell(server, workload, clients, plan.cellMs);
      if (profile) {
        mkdirSync(path.dirname(profile), { recursive: true });
        await server.profileStop(path.resolve(profile));
      }
      if (cell.joinsPerSecond > (rateSeen.get(clients) ?? 0)) rateSeen.set(clients, cell.joinsPerSecond);
      const ceilingRate = ceiling.operations[operation].joinsPerSecond;
      const figure: JoinFigure = {
        operation,
        clients,
        ...cell,
        ceilingJoinsPerSecond: ceilingRate,
        ratioToCeiling: cell.joinsPerSecond / ceilingRate,
        cpuRatioToCeiling: 1000 / cell.serverCpuMsPerJoin / ceilingRate,
        ...(profile ? { profile } : {}),
      };
      figures.push(figure);
      plan.log(`${operation} × ${clients}: ${cell.ok} joins, ${cell.joinsPerSecond.toFixed(1)}/s, p99 ${cell.latency.p99Ms.toFixed(1)} ms, server CPU ${cell.serverCpuMsPerJoin.toFixed(2)} ms/join${cell.failed ? `, ${cell.failed} FAILED` : ''}`);
    }
  }
  return { ceiling, figures };
}
