// The options of `npm run bench:soak`, checked before anything starts.
import { Command, InvalidArgumentError, Option } from 'commander';
import { duration } from '../options.js';

export interface SoakOptions {
  durationMs: number;
  bots: number;
  /** Pause of each bot between two joins. */
  paceMs: number;
  /** Share of joins after which the bot goes offline until its certificate has expired (it then recovers). */
  offlineShare: number;
  /** How far the virtual clock moves at each step, and how often (real time). */
  clockStepMs: number;
  clockEveryMs: number;
  /** A client abandons a join this often. */
  abandonEveryMs: number;
  sampleEveryMs: number;
  /** Samples before this are left out of the slopes (the server's caches and bounded records fill up first). */
  warmupMs: number;
  /** The server's join stream deadline: how long a silent client holds a stream. */
  streamTimeoutMs: number;
  store: 'memory' | 'sqlite';
  maxHeapSlopeMbPerMin: number;
  maxNativeSlopeMbPerMin: number;
  outDir: string;
}

export function parseSoakOptions(argv: string[]): SoakOptions {
  const program = new Command('bench:soak')
    .description('a fleet of bots renewing and recovering on the virtual clock, plus clients abandoning joins, against one server: memory over time and open streams at the end')
    .addOption(new Option('--duration <duration>', 'how long, a Go duration (30s, 10m)').default(600_000, '10m').argParser(duration))
    .addOption(new Option('--bots <n>', 'bots in the fleet').default(16).argParser(count(1, 512)))
    .addOption(new Option('--pace <duration>', 'pause of each bot between joins').default(200, '200ms').argParser(duration))
    .addOption(new Option('--offline <share>', 'share of joins after which a bot goes offline until its certificate expired (it then recovers)').default(0.1, '0.1').argParser(share))
    .addOption(new Option('--clock-step <duration>', 'virtual time added at each clock step (certificates live 1h)').default(600_000, '10m').argParser(duration))
    .addOption(new Option('--clock-every <duration>', 'real time between clock steps').default(2_000, '2s').argParser(duration))
    .addOption(new Option('--abandon-every <duration>', 'real time between two abandoned joins').default(250, '250ms').argParser(duration))
    .addOption(new Option('--sample-every <duration>', 'real time between memory samples (default: 5s, or duration/12 when shorter)').argParser(duration))
    .addOption(new Option('--warmup <duration>', 'left out of the slopes (default: a quarter of the duration, at most 2m)').argParser(duration))
    .addOption(new Option('--stream-timeout <duration>', 'the server\'s join stream deadline').default(3_000, '3s').argParser(duration))
    .addOption(new Option('--store <kind>', 'the server\'s store (sqlite keeps the ever-growing audit history out of the heap)').choices(['sqlite', 'memory']).default('sqlite'))
    .addOption(new Option('--max-heap-slope <mb-per-min>', 'fail above this heap growth after the warm-up').default(1, '1').argParser(number))
    .addOption(new Option('--max-native-slope <mb-per-min>', 'fail above this growth of RSS outside the V8 heap after the warm-up').default(2, '2').argParser(number))
    .addOption(new Option('--out <dir>', 'where the JSON report goes').default('reports/bench'))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.parse(argv, { from: 'user' });
  const o = program.opts<{
    duration: number; bots: number; pace: number; offline: number; clockStep: number; clockEvery: number; abandonEvery: number; sampleEvery?: number;
    warmup?: number; streamTimeout: number; store: 'memory' | 'sqlite'; maxHeapSlope: number; maxNativeSlope: number; out: string;
  }>();
  if (o.streamTimeout < 100 || o.streamTimeout > 600_000) throw new InvalidArgumentError('--stream-timeout must be between 100ms and 10m (the server\'s range)');
  return {
    durationMs: o.duration,
    bots: o.bots,
    paceMs: o.pace,
    offlineShare: o.offline,
    clockStepMs: o.clockStep,
    clockEveryMs: o.clockEvery,
    abandonEveryMs: o.abandonEvery,
    sampleEveryMs: o.sampleEvery ?? Math.min(5_000, Math.max(1_000, Math.floor(o.duration / 12))),
    warmupMs: o.warmup ?? Math.min(120_000, Math.floor(o.duration / 4)),
    streamTimeoutMs: o.streamTimeout,
    store: o.store,
    maxHeapSlopeMbPerMin: o.maxHeapSlope,
    maxNativeSlopeMbPerMin: o.maxNativeSlope,
    outDir: o.out,
  };
}

function count(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}
