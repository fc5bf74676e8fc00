// The options of `npm run bench`, checked before anything starts.
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseGoDuration } from '../../reference/shared/go-duration.js';
import { OPERATION_NAMES, isOperationName } from './operation-names.js';
import type { OperationName } from './operation-names.js';

export interface BenchOptions {
  /** Empty with --no-joins. */
  operations: OperationName[];
  clients: number[];
  /** Length of one measurement (one operation at one concurrency). */
  cellMs: number;
  warmupMs: number;
  ceilingMs: number;
  quick: boolean;
  suite: boolean;
  container: boolean;
  pin: boolean;
  profile: boolean;
  store: 'memory' | 'sqlite';
  outDir: string;
}

const FULL = { cellMs: 5_000, warmupMs: 3_000, ceilingMs: 6_000, clients: [1, 8, 64] };
const QUICK = { cellMs: 1_000, warmupMs: 1_000, ceilingMs: 1_500, clients: [1, 8] };

/**
 * How both bench commands end on a bad option: commander has already printed
 * its own errors (and --help, exit 0); anything else is printed here. Exit 2.
 */
export function exitOnOptionError(err: unknown, command: string): never {
  const code = (err as { exitCode?: number }).exitCode;
  if (code !== 0 && !(err as { code?: string }).code?.startsWith('commander.')) process.stderr.write(`${command}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(code === 0 ? 0 : 2);
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const program = new Command('bench')
    .description('join throughput and latency over gRPC+TLS against the reference auth server, the crypto-only ceiling, suite and container timings')
    .addOption(new Option('--quick', `a short smoke run: ${QUICK.cellMs / 1000} s per measurement, clients ${QUICK.clients.join(',')}`))
    .addOption(new Option('--operations <list>', `comma-separated, from ${OPERATION_NAMES.join(', ')}`).argParser(operationList))
    .addOption(new Option('--clients <list>', 'concurrent clients, comma-separated (default 1,8,64)').argParser(clientList))
    .addOption(new Option('--duration <duration>', 'length of each measurement, a Go duration (default 5s)').argParser(duration))
    .addOption(new Option('--suite', 'also time the whole conformance suite against the in-process reference (takes minutes)'))
    .addOption(new Option('--no-joins', 'skip the join figures and the ceiling (e.g. with --suite for the suite alone)'))
    .addOption(new Option('--no-container', 'skip the container start-to-ready timing'))
    .addOption(new Option('--no-pin', 'do not pin the server and the load generator to separate CPUs'))
    .addOption(new Option('--profile', 'write a CPU profile of the server for each operation at the largest concurrency'))
    .addOption(new Option('--store <kind>', 'the server\'s store').choices(['memory', 'sqlite']).default('memory'))
    .addOption(new Option('--out <dir>', 'where the JSON reports go').default('reports/bench'))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.parse(argv, { from: 'user' });
  const o = program.opts<{
    quick?: boolean; operations?: OperationName[]; clients?: number[]; duration?: number; suite?: boolean;
    joins: boolean; container: boolean; pin: boolean; profile?: boolean; store: 'memory' | 'sqlite'; out: string;
  }>();
  const base = o.quick ? QUICK : FULL;
  return {
    operations: o.joins ? (o.operations ?? [...OPERATION_NAMES]) : [],
    clients: o.clients ?? base.clients,
    cellMs: o.duration ?? base.cellMs,
    warmupMs: base.warmupMs,
    ceilingMs: base.ceilingMs,
    quick: o.quick === true,
    suite: o.suite === true,
    container: o.container,
    pin: o.pin,
    profile: o.profile === true,
    store: o.store,
    outDir: o.out,
  };
}

function operationList(value: string): OperationName[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !isOperationName(n));
  if (names.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`unknown operation(s) ${unknown.join(', ')}; known: ${OPERATION_NAMES.join(', ')}`);
  return names as OperationName[];
}

function clientList(value: string): number[] {
  const counts = value.split(',').map((s) => Number(s.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 1024)) throw new InvalidArgumentError('expected whole numbers from 1 to 1024, e.g. 1,8,64');
  return counts;
}

export function duration(value: string): number {
  try {
    const ms = parseGoDuration(value.trim());
    if (ms <= 0) throw new RangeError('must be longer than 0');
    return ms;
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}
