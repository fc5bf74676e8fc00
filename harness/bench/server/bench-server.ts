// Starts the benchmark's server child (bench-server-main.ts) and talks to it
// over IPC. The child is pinned to its own core when the plan says so, runs
// with --expose-gc (so a memory sample can be taken after a full collection)
// and is always stopped: by close(), or by the IPC channel closing when this
// process ends.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inheritedEnvironment } from '../../launch/server-child.js';
import type { CeilingReport } from '../crypto-ceiling.js';
import type { ChildConfig, ReadyMessage, Reply, Request, ServerStats } from './ipc-protocol.js';
import type { PinPlan } from './cpu-pinning.js';
import { serverCommandPrefix } from './cpu-pinning.js';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-server-main.ts');
const READY_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;

export interface BenchServer extends Omit<ReadyMessage, 'type'> {
  stats(options?: { gc?: boolean }): Promise<ServerStats>;
  ceiling(durationMs: number): Promise<CeilingReport>;
  profileStart(): Promise<void>;
  profileStop(file: string): Promise<void>;
  /** The tail of the child's stderr (its log). */
  stderr(): string;
  close(): Promise<void>;
}

type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export async function startBenchServer(config: ChildConfig, pin: PinPlan): Promise<BenchServer> {
  const command = [...serverCommandPrefix(pin), process.execPath, '--expose-gc', '--import', 'tsx', MAIN, JSON.stringify(config)];
  const child = spawn(command[0] as string, command.slice(1), {
    env: inheritedEnvironment(),
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    log = (log + chunk).slice(-32 * 1024);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await waitForReady(child, () => log);

  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: Reply | ReadyMessage) => {
    if (!('id' in msg)) return;
    const waiter = pending.get(msg.id);
    pending.delete(msg.id);
    if (!waiter) return;
    if (msg.ok) waiter.resolve(msg.value);
    else waiter.reject(new Error(`bench server: ${msg.error}`));
  });
  void exited.then(() => {
    for (const w of pending.values()) w.reject(new Error(`bench server exited; its log:\n${log}`));
    pending.clear();
  });
  const request = <T>(body: RequestBody): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`bench server did not answer ${body.type} within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.send({ ...body, id } as Request);
    });

  const { type: _type, ...endpoints } = ready;
  return {
    ...endpoints,
    stats: (o = {}) => request<ServerStats>({ type: 'stats', gc: o.gc === true }),
    ceiling: (durationMs) => request<CeilingReport>({ type: 'ceiling', durationMs }),
    profileStart: () => request<void>({ type: 'profile-start' }),
    profileStop: (file) => request<void>({ type: 'profile-stop', file }),
    stderr: () => log,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForReady(child: ChildProcess, log: () => string): Promise<ReadyMessage> {
  return new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`bench server printed no ready message within ${READY_TIMEOUT_MS} ms; its log:\n${log()}`)), READY_TIMEOUT_MS);
    const onMessage = (msg: { type?: string }) => {
      if (msg.type !== 'ready') return;
      cleanup();
      resolve(msg as ReadyMessage);
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`bench server exited (${signal ?? code}) before it was ready; its log:\n${log()}`));
    const fail = (err: Error) => {
      cleanup();
      child.kill('SIGKILL');
      reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
