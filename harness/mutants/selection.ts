// Which mutants a run tries, and which scenarios it runs against each: the
// ones tagged with the mutant's requirement (plus its extra tag expression),
// on the mutant's side — server mutants face the server scenarios, bot
// mutants the `@client` ones.
import { MUTANTS } from '../../reference/mutants/mutants.js';
import type { Mutant, MutantSide } from '../../reference/mutants/mutants.js';

export interface MutantRunOptions {
  /** Only these ids, in the list's order. */
  only?: string[];
  side?: MutantSide;
  list: boolean;
  /** Mutants tried at once, each in its own process. */
  jobs: number;
  /** A mutant whose scenarios take longer than this is an ERROR. */
  timeoutMs: number;
}

export class MutantUsageError extends Error {
  override name = 'MutantUsageError';
}

export const DEFAULT_JOBS = 2;
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const MAX_JOBS = 16;

function value(args: string[], i: number, flag: string): string {
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new MutantUsageError(`${flag} needs a value`);
  return v;
}

/** Parses `npm run mutants -- [--only id,…] [--side server|bot] [--list] [--jobs n] [--timeout seconds]`. */
export function parseMutantArgs(args: string[]): MutantRunOptions {
  const options: MutantRunOptions = { list: false, jobs: DEFAULT_JOBS, timeoutMs: DEFAULT_TIMEOUT_MS };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    switch (flag) {
      case '--list':
        options.list = true;
        break;
      case '--only':
        options.only = value(args, i++, flag).split(',').map((s) => s.trim()).filter((s) => s !== '');
        break;
      case '--side': {
        const side = value(args, i++, flag);
        if (side !== 'server' && side !== 'bot') throw new MutantUsageError(`--side must be server or bot, not ${JSON.stringify(side)}`);
        options.side = side;
        break;
      }
      case '--jobs': {
        const jobs = Number(value(args, i++, flag));
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) throw new MutantUsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS}`);
        options.jobs = jobs;
        break;
      }
      case '--timeout': {
        const seconds = Number(value(args, i++, flag));
        if (!(seconds > 0)) throw new MutantUsageError('--timeout must be a number of seconds above 0');
        options.timeoutMs = seconds * 1000;
        break;
      }
      default:
        throw new MutantUsageError(`unknown option ${JSON.stringify(flag)} (known: --only, --side, --list, --jobs, --timeout)`);
    }
  }
  return options;
}

/** The mutants to try; an unknown id in --only is a usage error, not an empty run. */
export function selectMutants(options: Pick<MutantRunOptions, 'only' | 'side'>, all: readonly Mutant[] = MUTANTS): Mutant[] {
  if (options.only) {
    const unknown = options.only.filter((id) => !all.some((m) => m.id === id));
    if (unknown.length > 0) throw new MutantUsageError(`--only names no listed mutant: ${unknown.join(', ')} (npm run mutants -- --list)`);
  }
  return all.filter((m) => (!options.only || options.only.includes(m.id)) && (!options.side || m.side === options.side));
}

/** The scenarios a mutant faces: its requirement's (or its extra tags'), on its side. */
export function tagExpressionFor(mutant: Mutant): string {
  const wanted = mutant.tags ? `(@${mutant.requirement} or (${mutant.tags}))` : `@${mutant.requirement}`;
  return `${wanted} and ${mutant.side === 'bot' ? '@client' : 'not @client'}`;
}
