// A server under test as a child process of the suite: spawned without a
// shell, watched until it is ready (a JSON line on stdout, or an HTTP URL
// answering 200), its stderr kept (bounded) to explain failures, and killed
// on close — and, should the suite's process end without closing it, when
// that process exits. A start that fails never leaves a child behind.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { ReadyProbe } from '../target/model.js';

export interface ServerChildOptions {
  /** argv; argv[0] is the program (an absolute path, or a name looked up in PATH). */
  command: string[];
  cwd?: string;
  /** Added to the inherited environment (which loses the suite's own settings, see inheritedEnvironment). */
  env?: Record<string, string>;
  ready: ReadyProbe;
  /** How messages name the program, e.g. `bkp auth serve`. */
  label: string;
  /** How long close() waits after SIGTERM before SIGKILL (default 5 s). */
  stopTimeoutMs?: number;
}

export interface ServerChild {
  pid: number;
  /** The parsed ready line (stdout-json-event probes only). */
  readyLine?: Record<string, unknown>;
  /** The tail of what the server wrote on stderr. */
  stderr(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and waits until it has exited; harmless when already stopped. */
  close(): Promise<void>;
}

const MAX_LOG_CHARS = 64 * 1024;
const MAX_LINE_CHARS = 64 * 1024;
const HTTP_PROBE_INTERVAL_MS = 100;

/** Children still running, killed when the suite's process exits. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a SIGKILL is all there is time for.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  // On a signal, kill the children, then let the signal do what it would
  // have done (the handler is gone once it has run).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/**
 * The suite's environment minus its own settings: BKP_* variables configure
 * the suite (and `bkp auth serve` would read them as flags), and NODE_OPTIONS
 * carries the suite's TypeScript loader, which a server under test must not
 * be made to load.
 */
export function inheritedEnvironment(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('BKP_') && name !== 'NODE_OPTIONS') out[name] = value;
  }
  return out;
}

export async function spawnServerChild(options: ServerChildOptions): Promise<ServerChild> {
  installExitHook();
  const [program, ...args] = options.command;
  if (!program) throw new Error(`${options.label}: empty command`);
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: { ...inheritedEnvironment(), ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    // A program that cannot be started emits 'error' and never 'exit'.
    child.once('error', () => {
      running.delete(child);
      resolve();
    });
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-MAX_LOG_CHARS);
  });
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const close = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
  };
  const name = `${options.label} (pid ${child.pid ?? '?'})`;
  let readyLine: Record<string, unknown> | undefined;
  // Whichever settles first (ready, timed out, exited), the others stop waiting.
  const settled = new AbortController();
  const failure = startFailure(child, name, () => stderr);
  try {
    const { ready } = options;
    readyLine = await Promise.race([
      ready.kind === 'http'
        ? httpReady(ready.url, ready.timeoutMs, name, settled.signal).then(() => undefined)
        : jsonLineReady(child, ready.event, ready.timeoutMs, name, () => stderr, settled.signal),
      failure.promise,
    ]);
  } catch (err) {
    await close();
    throw err;
  } finally {
    settled.abort();
    failure.cancel();
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout?.resume();
  return { pid: child.pid ?? -1, ...(readyLine ? { readyLine } : {}), stderr: () => stderr, close };
}

/** Rejects when the child exits or cannot be started before it is ready. */
function startFailure(child: ChildProcess, name: string, stderr: () => string): { promise: Promise<never>; cancel(): void } {
  let cancel = () => {};
  const promise = new Promise<never>((_resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready; its stderr:\n${stderr()}`));
    const onError = (err: Error) => reject(new Error(`${name} could not be started: ${err.message}`));
    child.once('exit', onExit);
    child.once('error', onError);
    cancel = () => {
      child.off('exit', onExit);
      child.off('error', onError);
    };
  });
  promise.catch(() => {});
  return { promise, cancel };
}

function jsonLineReady(child: ChildProcess, event: string, timeoutMs: number, name: string, stderr: () => string, signal: AbortSignal): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const stop = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${name} printed no ready line within ${timeoutMs} ms (a JSON line on stdout with "event": ${JSON.stringify(event)}); its stderr:\n${stderr()}`));
    }, timeoutMs);
    signal.addEventListener('abort', stop, { once: true });
    const onData = (chunk: Buffer) => {
      buffered = (buffered + chunk.toString('utf8')).slice(-MAX_LINE_CHARS);
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (parsed.event !== event) continue;
          stop();
          resolve(parsed);
          return;
        } catch {
          // Not JSON after all: an ordinary log line.
        }
      }
    };
    child.stdout?.on('data', onData);
  });
}

async function httpReady(url: string, timeoutMs: number, name: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline && !signal.aborted) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.min(1000, deadline - Date.now()))) });
      await res.body?.cancel();
      if (res.status === 200) return;
      last = `answered ${res.status}`;
    } catch (e) {
      last = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, HTTP_PROBE_INTERVAL_MS));
  }
  throw new Error(`${name}: ${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}
