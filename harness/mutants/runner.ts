// Tries each mutant in a fresh process started with BKP_MUTANT=<id> — the
// only switch there is — a few at a time. Every target variable is removed
// from the child's environment, so each child runs the embedded reference
// server in memory (and, for @client scenarios, the reference bot), exactly
// as `npm run test:features` does.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Mutant } from '../../reference/mutants/mutants.js';
import { MUTANT_ENV } from '../../reference/mutants/switch.js';
import { PROJECT_ROOT } from '../target/schema.js';
import { tagExpressionFor } from './selection.js';
import { judge } from './verdict.js';
import type { MutantResult, ScenariosResult } from './verdict.js';

const CHILD = path.join(PROJECT_ROOT, 'harness/mutants/run-scenarios.ts');
/** Variables that would point the child elsewhere than the embedded reference server and bot. */
const TARGET_VARIABLES = ['BKP_TARGET', 'BKP_BOT_TARGET', 'BKP_CONTROL_URL', 'BKP_CONTROL_CREDENTIAL', 'BKP_STORE', MUTANT_ENV];
const KEPT_OUTPUT_BYTES = 4000;

function childEnvironment(mutant: Mutant): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of TARGET_VARIABLES) delete env[name];
  env[MUTANT_ENV] = mutant.id;
  return env;
}

/** Runs one mutant's scenarios in a child process and judges them. */
export async function tryMutant(mutant: Mutant, timeoutMs: number): Promise<MutantResult> {
  const tags = tagExpressionFor(mutant);
  const dir = mkdtempSync(path.join(tmpdir(), 'bkp-mutant-'));
  const resultFile = path.join(dir, 'result.json');
  const started = Date.now();
  try {
    const failure = await runChild(['--import', 'tsx', CHILD, '--tags', tags, '--result', resultFile], childEnvironment(mutant), timeoutMs);
    let result: ScenariosResult | undefined;
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8')) as ScenariosResult;
    } catch {
      result = undefined;
    }
    return { mutant, tags, seconds: (Date.now() - started) / 1000, ...judge(result, failure) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Undefined when the child ended normally; otherwise why not, with the end of its output. */
function runChild(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    // Its own process group, killed whole on a timeout (bots it started run in groups of their own and time out by themselves).
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_BYTES);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve(`cannot start the scenarios: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve(`the scenarios did not finish within ${timeoutMs / 1000} s`);
      else if (code !== 0) resolve(`the scenarios' process exited ${code ?? signal}: ${output.trim().split('\n').slice(-5).join(' | ')}`);
      else resolve(undefined);
    });
  });
}

/** Tries the mutants, `jobs` at a time; `onResult` hears of each as it ends. Results come back in the given order. */
export async function tryMutants(mutants: readonly Mutant[], jobs: number, timeoutMs: number, onResult: (r: MutantResult) => void): Promise<MutantResult[]> {
  const results: MutantResult[] = new Array(mutants.length);
  let next = 0;
  const worker = async () => {
    while (next < mutants.length) {
      const i = next++;
      const result = await tryMutant(mutants[i] as Mutant, timeoutMs);
      results[i] = result;
      onResult(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, mutants.length) }, worker));
  return results;
}
