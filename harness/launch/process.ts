// The reference server in its own process: `node bin/bkp.js auth serve` with
// the given flags, started as a child of the test process (server-child.ts:
// no child is ever left behind). The launcher waits for the one JSON `ready`
// line the server prints on stdout and returns the endpoints it names.
//
// Listen on port 0 (`--join-addr 127.0.0.1:0 --control-addr 127.0.0.1:0`)
// and pass `--control-credential` so that the caller knows the credential:
// the ready line only repeats a credential the server generated itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerEndpoints } from './endpoints.js';
import { spawnServerChild } from './server-child.js';

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

export async function launchProcessServer(options: ProcessServerOptions): Promise<ProcessServer> {
  const child = await spawnServerChild({
    command: [process.execPath, BKP, 'auth', 'serve', ...options.args],
    ...(options.env ? { env: options.env } : {}),
    ready: { kind: 'stdout-json-event', event: 'ready', timeoutMs: options.readyTimeoutMs ?? 30_000 },
    label: 'bkp auth serve',
    ...(options.stopTimeoutMs !== undefined ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
  });
  const ready = child.readyLine ?? {};
  const credential = (ready.control_credential as string | undefined) ?? flagValue(options.args, '--control-credential') ?? options.env?.BKP_CONTROL_CREDENTIAL;
  if (typeof ready.control_url !== 'string' || typeof ready.join_address !== 'string' || credential === undefined) {
    await child.close();
    throw new Error(credential === undefined
      ? 'the server process was started without --control-credential and did not print one'
      : `bkp auth serve (pid ${child.pid}) printed a ready line without control_url or join_address: ${JSON.stringify(ready)}`);
  }
  return {
    controlUrl: ready.control_url,
    controlCredential: credential,
    clusterName: String(ready.cluster_name),
    joinAddress: ready.join_address,
    pid: child.pid,
    stderr: child.stderr,
    close: child.close,
  };
}

function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === flag) return args[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}
