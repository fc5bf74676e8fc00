// The benchmark's server: the reference auth server (startAuthServer, the
// same code `bkp auth serve` runs) in a process of its own, so that it can be
// pinned to one core and its memory and CPU measured apart from the load
// generator's. Started by bench-server.ts with an IPC channel; the
// configuration comes as JSON in argv[2]. Answers the side-channel requests
// of ipc-protocol.ts; everything else goes over gRPC and the control API.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { startAuthServer } from '../../../reference/auth/auth-server.js';
import type { AuthServerOptions } from '../../../reference/auth/auth-server.js';
import { measureCeiling } from '../crypto-ceiling.js';
import type { CeilingReport } from '../crypto-ceiling.js';
import type { ChildConfig, ReadyMessage, Reply, Request, ServerStats } from './ipc-protocol.js';

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
if (!process.send) throw new Error('bench-server-main.ts must be started with an IPC channel (see bench-server.ts)');
const send = process.send.bind(process);

const options: AuthServerOptions = {
  clock: 'virtual',
  store: config.store,
  log: (line) => process.stderr.write(`${line}\n`),
  ...(config.streamTimeoutMs !== undefined ? { streamTimeoutMs: config.streamTimeoutMs } : {}),
};
const server = await startAuthServer(options);
const started = Date.now();
let profiler: Session | undefined;

process.on('message', (raw: Request) => {
  void handle(raw).then(
    (value) => send({ id: raw.id, ok: true, value } satisfies Reply),
    (err: unknown) => send({ id: raw.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Reply),
  );
});
// The parent going away (IPC closed) ends the child: no server is ever left behind.
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));

async function handle(req: Request): Promise<ServerStats | CeilingReport | null> {
  switch (req.type) {
    case 'stats':
      return stats(req.gc === true);
    case 'ceiling':
      return measureCeiling(server.authorities, req.durationMs);
    case 'profile-start':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      return null;
    case 'profile-stop': {
      if (!profiler) throw new Error('no profile was started');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      await writeFile(req.file, JSON.stringify(profile));
      return null;
    }
  }
}

function stats(gc: boolean): ServerStats {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) collect();
  return { memory: process.memoryUsage(), gcForced: gc && collect !== undefined, cpu: process.cpuUsage(), openStreams: server.openStreams(), uptimeMs: Date.now() - started };
}

send({
  type: 'ready',
  joinAddress: server.joinAddress,
  controlUrl: server.controlUrl,
  controlCredential: server.controlCredential,
  hostCaPem: server.authorities.hostCa.certificatePem,
  clusterName: server.clusterName,
  pid: process.pid,
} satisfies ReadyMessage);
