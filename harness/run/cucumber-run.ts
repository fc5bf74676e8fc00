// Cucumber through its programmatic API (@cucumber/cucumber/api): the
// profile from cucumber.json, the role's scenarios (server: `not @client`,
// bot: `@client`) ANDed with --tags, the target handed to the workers in
// their environment (BKP_TARGET; for bots also BKP_BOT_TARGET), and every
// message fed to the outcome collector.
//
// Workers are separate Node processes: they load the TypeScript support code
// through NODE_OPTIONS=--import tsx (registering tsx in the parent does not
// reach them; see /work/shared/reference/environment.md).
import { loadConfiguration, loadSources, runCucumber } from '@cucumber/cucumber/api';
import type { IPlannedPickle, IRunConfiguration, IRunEnvironment } from '@cucumber/cucumber/api';
import type { IConfiguration } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { configurationError } from '../target/errors.js';
import { PROJECT_ROOT } from '../target/schema.js';
import type { RunOptions } from './options.js';
import { tagExpression } from './options.js';
import { OutcomeCollector } from './outcomes.js';
import { ProgressLine, profileShowsProgress } from './progress.js';

const TSX_IMPORT = '--import tsx';

export interface Prepared {
  runConfiguration: IRunConfiguration;
  environment: IRunEnvironment;
  suiteEnv: Record<string, string>;
  /** The tag expression actually used (profile, role and --tags). */
  tags: string;
}

/** Variables the suite's workers read: which target, which seed. */
export function suiteEnvironment(targetFile: string, role: 'server' | 'bot', seed: string): Record<string, string> {
  return { BKP_TARGET: targetFile, BKP_SEED: seed, ...(role === 'bot' ? { BKP_BOT_TARGET: targetFile } : {}) };
}

/**
 * The workers' environment, taken when they start: pre-flight may add to
 * process.env (a container image built once for all workers), and serial
 * runs (--parallel 0) execute the steps in this process, which reads
 * process.env itself.
 */
function runEnvironment(suiteEnv: Record<string, string>): IRunEnvironment {
  Object.assign(process.env, suiteEnv);
  const nodeOptions = process.env.NODE_OPTIONS ?? '';
  return { cwd: PROJECT_ROOT, env: { ...process.env, NODE_OPTIONS: nodeOptions.includes(TSX_IMPORT) ? nodeOptions : `${nodeOptions} ${TSX_IMPORT}`.trim() } };
}

export async function prepare(options: RunOptions, role: 'server' | 'bot', suiteEnv: Record<string, string>): Promise<Prepared> {
  const environment = runEnvironment(suiteEnv);
  const provided: Partial<IConfiguration> = {
    tags: tagExpression(role, options.tags),
    parallel: options.parallel,
    failFast: options.failFast,
    order: options.order === 'random' ? `random:${options.seed}` : 'defined',
  };
  try {
    const { runConfiguration } = await loadConfiguration({ profiles: [options.profile], provided }, environment);
    return { runConfiguration, environment, suiteEnv, tags: runConfiguration.sources.tagExpression };
  } catch (e) {
    throw configurationError('--profile', `${options.profile}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The scenarios the run would execute, in order (--dry-run). */
export async function plan(prepared: Prepared): Promise<IPlannedPickle[]> {
  const { plan, errors } = await loadSources(prepared.runConfiguration.sources, prepared.environment);
  if (errors.length > 0) {
    const first = errors[0];
    throw configurationError(`${first?.uri}:${first?.location.line}`, first?.message ?? 'cannot parse the feature file');
  }
  return plan;
}

/** Runs the scenarios; every message goes to the outcome collector and to `record` (the run's messages.ndjson). */
export async function execute(prepared: Prepared, record: (e: Envelope) => void = () => {}): Promise<{ collector: OutcomeCollector; success: boolean }> {
  const progress = profileShowsProgress(prepared.runConfiguration.formats.stdout) ? undefined : new ProgressLine((t) => process.stdout.write(t));
  // Cucumber calls this listener before the formatters, so the progress line ends before the requirement table.
  const collector = new OutcomeCollector(progress ? { onOutcome: (o) => progress.onOutcome(o), onRunFinished: () => progress.end() } : {});
  const { success } = await runCucumber(prepared.runConfiguration, runEnvironment(prepared.suiteEnv), (e) => {
    record(e);
    collector.onEnvelope(e);
  });
  return { collector, success };
}
