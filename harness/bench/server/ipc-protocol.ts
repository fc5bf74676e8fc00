// The messages between the benchmark and its server child over Node's IPC
// channel. The join service and control API are measured over the network;
// this side channel carries only what the network cannot: the child's own
// memory and CPU figures, its open join stream count, the crypto ceiling
// (timed inside the server's process, on the server's core) and profiling.
import type { CeilingReport } from '../crypto-ceiling.js';

export interface ChildConfig {
  store: { kind: 'memory' } | { kind: 'sqlite'; dataDir: string };
  /** Stream deadline in ms (the server's default when absent). */
  streamTimeoutMs?: number;
}

export interface ReadyMessage {
  type: 'ready';
  joinAddress: string;
  controlUrl: string;
  controlCredential: string;
  hostCaPem: string;
  clusterName: string;
  pid: number;
}

export interface ServerStats {
  /** process.memoryUsage(), bytes; after a full GC when `gc` was asked for and the child has --expose-gc. */
  memory: NodeJS.MemoryUsage;
  gcForced: boolean;
  /** process.cpuUsage(), microseconds since the child started. */
  cpu: NodeJS.CpuUsage;
  /** Join streams the gRPC server is serving right now. */
  openStreams: number;
  uptimeMs: number;
}

export type Request =
  | { id: number; type: 'stats'; gc?: boolean }
  | { id: number; type: 'ceiling'; durationMs: number }
  | { id: number; type: 'profile-start' }
  | { id: number; type: 'profile-stop'; file: string };

export type Reply =
  | { id: number; ok: true; value: ServerStats | CeilingReport | null }
  | { id: number; ok: false; error: string };
