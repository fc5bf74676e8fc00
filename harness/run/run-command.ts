// `bkp run --target <file>`: the conformance suite against one
// implementation. In order: options, the target file (schema and rules), its
// expectations file, pre-flight (start or reach the implementation, read its
// capabilities, stop it), the scenarios through Cucumber's API, the verdict
// against the expectations, a summary, and the run's reports in
// reports/<run-id>/ (harness/report/). Exit codes: summary.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ConfigurationError } from '../target/errors.js';
import { displayPath, loadTarget } from '../target/load-target.js';
import type { Target } from '../target/model.js';
import { execute, plan, prepare, suiteEnvironment } from './cucumber-run.js';
import { judge, loadExpectations } from './expectations.js';
import { DEFAULT_PARALLEL, DEFAULT_PROFILE, DEFAULT_REPORTS_DIR, defaultRunId, runOptionsFrom } from './options.js';
import type { RawRunOptions, RunOptions } from './options.js';
import { preflight } from './preflight.js';
import { earlyEnd, EXIT_CODES, formatSummary, summarise } from './summary.js';
import type { RunSummary } from './summary.js';
import { startManifest } from '../report/manifest.js';
import type { RunManifest } from '../report/manifest.js';
import { describeWritten, RunDirectory } from '../report/run-directory.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function modeOf(target: Target): string {
  return target.role === 'server' ? target.launch.mode : 'command line';
}

/**
 * A remote server is one server for all workers, and a fixed control API
 * address can be bound by one process only: both run on one worker, since
 * every scenario resets the server it uses.
 */
function workersFor(target: Target, asked: number): number {
  if (target.role !== 'server' || asked <= 1) return asked;
  const shared = target.launch.mode === 'remote' || (target.launch.mode !== 'in-process' && target.controlApi.url !== undefined);
  if (!shared) return asked;
  out(`note: ${target.name} has one fixed control API address (${target.controlApi.url}): running on 1 worker instead of ${asked}`);
  return 1;
}

function writeSummaryJson(file: string | undefined, summary: RunSummary): void {
  if (!file) return;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
}

/** Writes the run's reports; a failure here is reported but does not change the verdict's exit code. */
async function finishReports(run: { dir: RunDirectory; manifest: RunManifest } | undefined, summary: RunSummary): Promise<void> {
  if (!run) return;
  try {
    out(describeWritten(run.dir.dir, await run.dir.finish(run.manifest, summary)));
  } catch (e) {
    err(`could not write the reports in ${run.dir.dir}: ${(e as Error).stack ?? String(e)}`);
  }
}

/** Runs everything; returns the exit code (never throws). */
export async function runConformance(raw: RawRunOptions): Promise<number> {
  const started = Date.now();
  let options: RunOptions | undefined;
  let target: Target | undefined;
  let run: { dir: RunDirectory; manifest: RunManifest } | undefined;
  const base = () => ({
    target: target
      ? { name: target.name, role: target.role, mode: modeOf(target), file: displayPath(target.file) }
      : { name: '?', role: 'server' as const, mode: '?', file: raw.target ?? '?' },
    seed: options?.seed ?? '',
    tags: options?.tags ?? '',
    filtered: options?.tags !== undefined,
    failFast: options?.failFast === true,
    wallTimeMs: Date.now() - started,
  });
  try {
    options = runOptionsFrom(raw);
    target = loadTarget(options.target);
    const deviations = target.expectations ? loadExpectations(target.expectations) : [];
    options.parallel = workersFor(target, options.parallel);
    const prepared = await prepare(options, target.role, suiteEnvironment(target.file, target.role, options.seed));

    if (options.dryRun) {
      const scenarios = await plan(prepared);
      for (const p of scenarios) out(`${p.uri}:${p.location.line}  ${p.name}`);
      out(`\n${scenarios.length} scenario(s) would run against ${target.name} (selection: ${prepared.tags})`);
      if (scenarios.length > 0) return 0;
      err('configuration error: --tags: no scenario matches the selection');
      return 2;
    }

    options.runId ||= defaultRunId(target.name);
    run = {
      dir: new RunDirectory(options.reportsDir, options.runId),
      manifest: startManifest(options.runId, { name: target.name, role: target.role, mode: modeOf(target), file: displayPath(target.file), path: target.file }, { seed: options.seed, tags: prepared.tags, parallel: options.parallel }),
    };
    out(`bkp run: ${target.name} (${target.role}, ${modeOf(target)}), seed ${options.seed}${options.seedGiven ? '' : ` (random; rerun with --seed ${options.seed})`}, ${options.parallel} worker(s)`);
    const ready = await preflight(target, out);
    if (ready.kind === 'ready') Object.assign(run.manifest.target, { implementation: ready.implementation, features: ready.features });
    if (ready.kind === 'skipped') {
      const line = `SKIPPED: ${target.name}: ${ready.reason} — this is not a pass`;
      const bar = '!'.repeat(Math.min(line.length, 78));
      out(`\n${bar}\n${line}\n${bar}`);
      err(line);
      const summary = earlyEnd({ ...base(), tags: prepared.tags }, 'skipped', ready.reason);
      out(formatSummary(summary));
      writeSummaryJson(options.summaryJson, summary);
      await finishReports(run, summary);
      return summary.exitCode;
    }
    out(`pre-flight: done; running the scenarios (selection: ${prepared.tags})\n`);

    const { collector } = await execute(prepared, run.dir.record());
    for (const e of collector.harnessErrors) err(`harness error: ${e}`);
    const summary = summarise({ ...base(), tags: prepared.tags }, judge(collector.outcomes(), deviations), collector.harnessErrors);
    out(formatSummary(summary));
    writeSummaryJson(options.summaryJson, summary);
    await finishReports(run, summary);
    return summary.exitCode;
  } catch (e) {
    const lines = e instanceof ConfigurationError ? e.lines() : [`harness error: ${(e as Error).stack ?? String(e)}`];
    for (const l of lines) err(l);
    const summary = earlyEnd(base(), 'error', lines.join('; '));
    try {
      writeSummaryJson(options?.summaryJson, summary);
    } catch {
      // The error above is what matters.
    }
    await finishReports(run, summary);
    return EXIT_CODES.error;
  }
}

export function runCommand(): Command {
  return new Command('run')
    .description('run the conformance suite against the implementation a target file describes')
    .requiredOption('--target <file>', 'target file (YAML, docs/contract/target.schema.json), e.g. targets/reference-server.in-process.yaml')
    .option('--tags <expression>', 'Cucumber tag expression, ANDed with the role\'s selection (server: not @client; bot: @client)')
    .option('--profile <name>', 'cucumber.json profile (formatters)', DEFAULT_PROFILE)
    .option('--parallel <n>', 'Cucumber worker processes, each with its own instance (0: in this process)', String(DEFAULT_PARALLEL))
    .option('--seed <seed>', 'seed of the run, exported as BKP_SEED (default: random, printed)')
    .addOption(new Option('--order <order>', 'scenario order; random uses the seed').choices(['defined', 'random']).default('defined'))
    .option('--dry-run', 'list the scenarios that would run, start nothing')
    .option('--fail-fast', 'stop at the first failed scenario')
    .option('--summary-json <file>', 'also write the summary as JSON (verdict, counts, failures)')
    .option('--reports-dir <dir>', 'where the run directory goes: <dir>/<run-id>/ holds messages.ndjson, manifest.json, summary.json, report.html, junit.xml, conformance.json and conformance.html', DEFAULT_REPORTS_DIR)
    .option('--run-id <id>', 'name of the run directory (default: UTC time and target name)')
    .addHelpText('after', '\nExit codes: 0 conformant (or SKIPPED: see the verdict), 1 not conformant, 2 harness or configuration error.')
    .action(async (opts: RawRunOptions) => {
      process.exit(await runConformance(opts));
    });
}
