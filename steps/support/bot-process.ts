// Running a bot's one-shot operations (spawn, wait, capture); daemons are in
// bot-daemon.ts. No shell is ever involved. Each
// process leads its own process group, so a timeout or a stop also ends
// anything the bot started; every live group is killed if the suite exits.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface ProcessSpec {
  /** What the reports call it, e.g. `join_once`. */
  label: string;
  argv: string[];
  /** argv as shown in messages (secrets replaced). Defaults to argv. */
  shownArgv?: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Aborting kills the run (its group, SIGKILL), e.g. when the scenario ends while it is still running. */
  abort?: AbortSignal;
}

export interface RunResult {
  label: string;
  argv: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Bytes kept per stream; beyond that the oldest output is dropped and the text starts with a marker. */
export const MAX_OUTPUT_CHARS = 4 * 1024 * 1024;
const TRUNCATED = '[… earlier output dropped …]\n';
const TAIL_CHARS = 2000;

export class BotProcessError extends Error {
  override name = 'BotProcessError';
}

const liveGroups = new Set<number>();

/** The process has ended: SIGKILL whatever its group left behind, and stop tracking it. */
export function reap(pid: number | undefined): void {
  if (pid === undefined) return;
  signalGroup(pid, 'SIGKILL');
  liveGroups.delete(pid);
}
let exitHookInstalled = false;
function track(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const g of liveGroups) signalGroup(g, 'SIGKILL');
  });
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** The last part of a text, for error messages. */
export function tail(text: string, chars = TAIL_CHARS): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`;
}

export function shown(spec: ProcessSpec): string {
  return (spec.shownArgv ?? spec.argv).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export function spawnBot(spec: ProcessSpec): ChildProcess {
  const [command, ...args] = spec.argv;
  if (command === undefined) throw new BotProcessError(`${spec.label}: empty argv`);
  const child = spawn(command, args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) track(child.pid);
  return child;
}

/** Appends to a bounded text buffer. */
export class Output {
  text = '';
  dropped = 0;
  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > MAX_OUTPUT_CHARS) {
      const cut = this.text.length - MAX_OUTPUT_CHARS / 2;
      this.text = this.text.slice(cut);
      this.dropped += cut;
    }
  }
  toString(): string {
    return this.dropped > 0 ? TRUNCATED + this.text : this.text;
  }
}

/**
 * Runs a one-shot operation to its end. A process still running after
 * `timeoutMs` is killed (its whole group, SIGKILL) and the call fails with a
 * message naming the operation, the command and the output so far.
 */
export function runOnce(spec: ProcessSpec): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnBot(spec);
    } catch (e) {
      reject(e instanceof BotProcessError ? e : new BotProcessError(`${spec.label}: cannot start ${shown(spec)}: ${(e as Error).message}`));
      return;
    }
    const stdout = new Output();
    const stderr = new Output();
    child.stdout?.setEncoding('utf8').on('data', (c: string) => stdout.append(c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => stderr.append(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    }, spec.timeoutMs);
    const onAbort = () => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    };
    spec.abort?.addEventListener('abort', onAbort, { once: true });
    if (spec.abort?.aborted) onAbort();
    child.on('error', (e) => {
      clearTimeout(timer);
      spec.abort?.removeEventListener('abort', onAbort);
      reap(child.pid);
      reject(new BotProcessError(`${spec.label}: cannot start ${shown(spec)}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      spec.abort?.removeEventListener('abort', onAbort);
      reap(child.pid); // anything the bot left behind
      const durationMs = Math.round(performance.now() - started);
      if (spec.abort?.aborted) {
        reject(new BotProcessError(`${spec.label} was killed because the scenario ended while it ran: ${shown(spec)}`));
        return;
      }
      if (timedOut) {
        reject(new BotProcessError(
          `${spec.label} did not finish within ${spec.timeoutMs} ms and was killed (SIGKILL): ${shown(spec)}\n` +
            `stdout: ${tail(stdout.toString()) || '(none)'}\nstderr: ${tail(stderr.toString()) || '(none)'}`,
        ));
        return;
      }
      resolve({ label: spec.label, argv: spec.shownArgv ?? spec.argv, exitCode: code, signal, stdout: stdout.toString(), stderr: stderr.toString(), durationMs });
    });
  });
}

