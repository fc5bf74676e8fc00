// The options of `bkp run`, checked before anything starts: a bad option is
// a configuration error naming the flag, exit 2.
import { randomBytes } from 'node:crypto';
import { configurationError } from '../target/errors.js';

export interface RunOptions {
  /** As given (relative to the working directory, or absolute). */
  target: string;
  /** A Cucumber tag expression, ANDed with the role's selection. */
  tags?: string;
  /** A profile of cucumber.json. */
  profile: string;
  /** Cucumber worker processes; 0 runs the scenarios in the bkp process itself. */
  parallel: number;
  /** Recorded in the summary, exported as BKP_SEED, and the order's seed with --order random. */
  seed: string;
  /** Whether --seed was given (a random seed is announced as such). */
  seedGiven: boolean;
  order: 'defined' | 'random';
  dryRun: boolean;
  failFast: boolean;
  /** Where to write the summary as JSON (for CI), if anywhere. */
  summaryJson?: string;
  /** The run writes its reports into <reportsDir>/<runId>/. */
  reportsDir: string;
  runId: string;
}

/** What commander hands over: strings and booleans, unchecked. */
export interface RawRunOptions {
  target?: string;
  tags?: string;
  profile?: string;
  parallel?: string;
  seed?: string;
  order?: string;
  dryRun?: boolean;
  failFast?: boolean;
  summaryJson?: string;
  reportsDir?: string;
  runId?: string;
}

export const DEFAULT_PROFILE = 'run';
export const DEFAULT_PARALLEL = 2;
const MAX_PARALLEL = 32;
const SEED = /^[A-Za-z0-9._-]{1,64}$/;
const PROFILE = /^[A-Za-z0-9._-]{1,64}$/;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const DEFAULT_REPORTS_DIR = 'reports';

/** A run id that sorts by time and says what ran: 20261125T160405Z-reference-server-in-process. */
export function defaultRunId(targetName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const slug = targetName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'target';
  return `${stamp}-${slug}`;
}

export function runOptionsFrom(raw: RawRunOptions): RunOptions {
  if (!raw.target) throw configurationError('--target', 'required: the target file to run against, e.g. targets/reference-server.in-process.yaml');
  const profile = raw.profile ?? DEFAULT_PROFILE;
  if (!PROFILE.test(profile)) throw configurationError('--profile', `${JSON.stringify(profile)} is not a profile name`);
  const parallel = raw.parallel === undefined ? DEFAULT_PARALLEL : Number(raw.parallel);
  if (!Number.isInteger(parallel) || parallel < 0 || parallel > MAX_PARALLEL) {
    throw configurationError('--parallel', `must be a whole number from 0 to ${MAX_PARALLEL}, not ${JSON.stringify(raw.parallel)}`);
  }
  if (raw.seed !== undefined && !SEED.test(raw.seed)) throw configurationError('--seed', 'must be 1 to 64 letters, digits, ".", "_" or "-"');
  const order = raw.order ?? 'defined';
  if (order !== 'defined' && order !== 'random') throw configurationError('--order', `must be defined or random, not ${JSON.stringify(order)}`);
  if (raw.tags !== undefined && raw.tags.trim() === '') throw configurationError('--tags', 'is empty');
  if (raw.runId !== undefined && !RUN_ID.test(raw.runId)) throw configurationError('--run-id', 'must be 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (raw.reportsDir !== undefined && raw.reportsDir.trim() === '') throw configurationError('--reports-dir', 'is empty');
  const options: RunOptions = {
    target: raw.target,
    profile,
    parallel,
    seed: raw.seed ?? randomBytes(4).toString('hex'),
    seedGiven: raw.seed !== undefined,
    order,
    dryRun: raw.dryRun === true,
    failFast: raw.failFast === true,
    reportsDir: raw.reportsDir ?? DEFAULT_REPORTS_DIR,
    // Filled in from the target's name once the target file is read, unless given.
    runId: raw.runId ?? '',
  };
  if (raw.tags !== undefined) options.tags = raw.tags.trim();
  if (raw.summaryJson !== undefined) options.summaryJson = raw.summaryJson;
  return options;
}

/** The role's selection ANDed with the user's and the profile's tag expressions. */
export function tagExpression(role: 'server' | 'bot', ...others: (string | undefined)[]): string {
  const parts = [role === 'bot' ? '@client' : 'not @client', ...others.filter((t): t is string => !!t && t.trim() !== '')];
  return parts.map((p) => `(${p})`).join(' and ');
}
