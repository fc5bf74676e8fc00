// A target in its own process: `node bin/bkp.js auth serve` with the given
// flags, started as a child of the test process. The launcher waits for the
// one JSON `ready` line the server prints on stdout, returns the endpoints it
// names, and kills the server on close — and, should the test process end
// without closing it, when the test process exits.
//
// Listen on port 0 (`--join-addr 127.0.0.1:0 --control-addr 127.0.0.1:0`)
// and pass `--control-credential` so that the caller knows the credential:
// the ready line only repeats a credential the server generated itself.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerEndpoints } from './endpoints.js';

const BKP = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../bin/bkp.js');

export interface ProcessServerOptions {
  /** Flags after `auth serve`, e.g. ['--postgres-url', url, '--join-addr', '127.0.0.1:0']. */
  args: string[];
  /**
   * Environment for the server. The test process's environment is inherited
   * without its BKP_* variables (those configure the suite, e.g. BKP_STORE,
   * and `bkp auth serve` would read them as its own flags).
   */
  env?: Record<string, string>;
  /** How long to wait for the ready line (default 30 s). */
  readyTimeoutMs?: number;
  /** How long close() waits after SIGTERM before it sends SIGKILL (default 5 s). */
  stopTimeoutMs?: number;
}

export interface ProcessServer extends ServerEndpoints {
  clusterName: string;
  joinAddress: string;
  pid: number;
  /** Everything the server wrote on stderr so far (its log). */
  stderr(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and waits until it has exited. */
  close(): Promise<void>;
}

interface ReadyLine {
  event: 'ready';
  cluster_name: string;
  join_address: string;
  control_url: string;
  control_credential?: string;
}

/** Children still running, killed when the test process exits. */
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

export async function launchProcessServer(options: ProcessServerOptions): Promise<ProcessServer> {
  installExitHook();
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const child = spawn(process.execPath, [BKP, 'auth', 'serve', ...options.args], {
    env: { ...inheritedEnvironment(), ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // Keep the log bounded: the tail is what explains a failure.
    stderr = (stderr + chunk).slice(-64 * 1024);
  });

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
  };

  let ready: ReadyLine;
  try {
    ready = await readyLine(child, readyTimeoutMs, () => stderr);
  } catch (err) {
    await close();
    throw err;
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout?.resume();

  const credential = ready.control_credential ?? flagValue(options.args, '--control-credential') ?? options.env?.BKP_CONTROL_CREDENTIAL;
  if (credential === undefined) {
    await close();
    throw new Error('the server process was started without --control-credential and did not print one');
  }
  return {
    controlUrl: ready.control_url,
    controlCredential: credential,
    clusterName: ready.cluster_name,
    joinAddress: ready.join_address,
    pid: child.pid ?? -1,
    stderr: () => stderr,
    close,
  };
}

function readyLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<ReadyLine> {
  const command = `bkp auth serve (pid ${child.pid ?? '?'})`;
  return new Promise<ReadyLine>((resolve, reject) => {
    let buffered = '';
    const done = (fn: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error(`${command} printed no ready line within ${timeoutMs} ms; its stderr:\n${stderr()}`))), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        let parsed: Partial<ReadyLine>;
        try {
          parsed = JSON.parse(line) as Partial<ReadyLine>;
        } catch {
          continue;
        }
        if (parsed.event === 'ready' && parsed.control_url && parsed.join_address) {
          const line = parsed as ReadyLine;
          done(() => resolve(line));
          return;
        }
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      done(() => reject(new Error(`${command} exited (${signal ?? `code ${code}`}) before it was ready; its stderr:\n${stderr()}`)));
    const onError = (err: Error) => done(() => reject(new Error(`${command} could not be started: ${err.message}`)));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function inheritedEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BKP_')));
}

function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === flag) return args[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}
