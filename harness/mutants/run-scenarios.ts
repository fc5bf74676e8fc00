// One mutant's scenarios, in a process of its own that was started with
// BKP_MUTANT in its environment (runner.ts starts it): Cucumber's API runs
// the scenarios of --tags serially in this process, against the embedded
// reference server (BKP_TARGET unset), or, for @client scenarios, the
// reference bot started from targets/reference-bot.yaml, which inherits
// BKP_MUTANT. What happened is written to --result as JSON.
//   node --import tsx harness/mutants/run-scenarios.ts --tags <expr> --result <file>
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { OutcomeCollector } from '../run/outcomes.js';
import { PROJECT_ROOT } from '../target/schema.js';
import type { ScenariosResult } from './verdict.js';

function argument(flag: string): string {
  const i = process.argv.indexOf(flag);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`${flag} is required`);
  return v;
}

/** The support code the project's default profile loads; its formatters are left out (the runner reports). */
function supportCode(): string[] {
  const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cucumber.json'), 'utf8')) as { default?: { import?: string[] } };
  const imports = config.default?.import;
  if (!imports || imports.length === 0) throw new Error('cucumber.json: the default profile names no support code (import)');
  return imports;
}

async function main(): Promise<void> {
  const tags = argument('--tags');
  const resultFile = argument('--result');
  const environment = { cwd: PROJECT_ROOT, env: process.env };
  const { runConfiguration } = await loadConfiguration(
    { file: false, provided: { import: supportCode(), tags, parallel: 0, strict: true, format: [] } },
    environment,
  );
  const collector = new OutcomeCollector();
  await runCucumber(runConfiguration, environment, (e) => collector.onEnvelope(e));
  const result: ScenariosResult = { outcomes: collector.outcomes(), harnessErrors: collector.harnessErrors };
  writeFileSync(resultFile, JSON.stringify(result));
}

try {
  await main();
  // A handle left open (a socket, a timer) must not keep a finished mutant's process alive.
  process.exit(0);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
}
