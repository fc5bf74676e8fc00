// The reference auth server as one unit: a join service (gRPC over TLS), a
// control API (HTTP/JSON) and a web listener (HTTPS, GET /webapi/find) on
// separate ports, over one store, one clock and one set of certificate
// authorities. `bkp auth serve` and the in-process test target both start it
// through startAuthServer. Scripted mode (faults on join streams, simulated
// restarts) exists only when asked for with `scripted: true`.
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock/clock.js';
import { SystemClock, VirtualClock } from './clock/clock.js';
import type { ClusterStore } from './store/store.js';
import { openStore } from './store/open-store.js';
import type { StoreOptions } from './store/open-store.js';
import { createClusterAuthorities } from './ca/cluster-authorities.js';
import type { CreateAuthoritiesOptions } from './ca/cluster-authorities.js';
import { AUTHORITIES_RECORD, decodeAuthorities, encodeAuthorities } from './ca/authority-codec.js';
import { badParameter } from '../protocol/errors.js';
import type { ClusterAuthorities } from './ca/cluster-authorities.js';
import { AuditLog } from './audit/audit-log.js';
import { serveJoin } from './join/join-service.js';
import { JoinAttempts } from './join/join-attempts.js';
import { startGrpcJoinServer } from './grpc/grpc-join-server.js';
import { MAX_BODY_BYTES, MAX_REQUESTS_PER_ADDRESS, startControlApi } from './control-api/http-server.js';
import { startWebServer } from './web/web-server.js';
import { findResponse } from './web/find-response.js';
import { ScriptedFaults } from './scripting/scripted-faults.js';
import { withFaults } from './scripting/fault-stream.js';
import type { JoinStream } from './join/join-stream.js';
import { ReferenceControlPlane } from './control-api/reference-control-plane.js';
import type { SignatureAlgorithmSuite } from '../crypto/index.js';
import { announceMutant } from '../mutants/switch.js';

export const DEFAULTS = {
  clusterName: 'bkp.test',
  suite: 'balanced-v1' as SignatureAlgorithmSuite,
  streamTimeoutMs: 60_000,
  maxMessageBytes: 64 * 1024,
  // Above the benchmark's 64 concurrent clients and a fleet of bots on one
  // host, far below what it takes to exhaust the server (docs/limits.md).
  maxStreamsPerAddress: 256,
  maxControlRequestsPerAddress: MAX_REQUESTS_PER_ADDRESS,
  defaultCertificateTtlMs: 60 * 60_000,
  maxCertificateTtlMs: 24 * 60 * 60_000,
};

export interface AuthServerOptions {
  clusterName?: string;
  suite?: SignatureAlgorithmSuite;
  joinHost?: string;
  joinPort?: number;
  controlHost?: string;
  controlPort?: number;
  /** The HTTPS web listener (GET /webapi/find); port 0 (the default here) picks a free port. */
  webHost?: string;
  webPort?: number;
  /**
   * host:port reported as the join / web address (GET cluster, /webapi/find)
   * instead of the listen address: what clients dial when the server sits
   * behind published container ports. Its host, if an IP, joins the TLS SANs.
   */
  advertiseJoinAddress?: string;
  advertiseWebAddress?: string;
  /**
   * Scripted mode, for testing bots: faults on join streams, simulated
   * restarts (control API `script`, `restart`; feature `scripting`). Off
   * unless asked for.
   */
  scripted?: boolean;
  /** Bearer credential for the control API; generated when absent. */
  controlCredential?: string;
  clock?: 'real' | 'virtual' | Clock;
  virtualClockStart?: Date;
  /** A store object, or how to open one (default: in memory). */
  store?: ClusterStore | StoreOptions;
  streamTimeoutMs?: number;
  maxMessageBytes?: number;
  /** Join streams one client address may hold open at once (0: no cap). */
  maxStreamsPerAddress?: number;
  /** Control API requests one client address may have in progress at once (0: no cap). */
  maxControlRequestsPerAddress?: number;
  log?: (line: string) => void;
  version?: string;
}

export interface RunningAuthServer {
  clusterName: string;
  joinAddress: string;
  /** host:port of the web listener (HTTPS, the join service's certificate). */
  webAddress: string;
  controlUrl: string;
  controlCredential: string;
  authorities: ClusterAuthorities;
  openStreams(): number;
  /** Open join streams of one client address (an IP address). */
  openStreamsFrom(address: string): number;
  close(): Promise<void>;
}

export async function startAuthServer(options: AuthServerOptions = {}): Promise<RunningAuthServer> {
  announceMutant();
  const clusterName = options.clusterName ?? DEFAULTS.clusterName;
  const suite = options.suite ?? DEFAULTS.suite;
  const clock = resolveClock(options);
  const store = isStore(options.store) ? options.store : await openStore(options.store ?? { kind: 'memory' });
  const log = options.log ?? (() => {});
  const joinHost = options.joinHost ?? '127.0.0.1';
  const webHost = options.webHost ?? '127.0.0.1';
  const advertisedHosts = [options.advertiseJoinAddress, options.advertiseWebAddress].flatMap((a) => (a ? [hostOf(a)] : []));
  const extraIps = [joinHost, webHost, ...advertisedHosts].filter((h, i, all) => isIp(h) && !['127.0.0.1', '::1'].includes(h) && all.indexOf(h) === i);
  const authorities = await loadOrCreateAuthorities(store, {
    clusterName,
    suite,
    now: clock.now(),
    serverNames: { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1', ...extraIps] },
  });
  const audit = new AuditLog(store, clock, (err) => log(`audit: failed to record an event: ${String(err)}`));
  const certificates = { defaultTtlMs: DEFAULTS.defaultCertificateTtlMs, maxTtlMs: DEFAULTS.maxCertificateTtlMs };
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
  const maxStreamsPerAddress = options.maxStreamsPerAddress ?? DEFAULTS.maxStreamsPerAddress;
  const maxControlRequestsPerAddress = options.maxControlRequestsPerAddress ?? DEFAULTS.maxControlRequestsPerAddress;

  const joinAttempts = new JoinAttempts(clock);
  const faults = options.scripted ? new ScriptedFaults() : undefined;
  let joinAddress = '';
  let webAddress = '';
  let restartJoinService: (downMs: number) => Promise<void> = async () => {};
  const plane = new ReferenceControlPlane({
    store,
    clock,
    authorities,
    audit,
    joinAddress: () => joinAddress,
    webAddress: () => webAddress,
    defaults: { stream_timeout_ms: options.streamTimeoutMs ?? DEFAULTS.streamTimeoutMs, signature_algorithm_suite: suite },
    limits: {
      maxMessageBytes, defaultCertificateTtlMs: certificates.defaultTtlMs, maxCertificateTtlMs: certificates.maxTtlMs,
      maxStreamsPerAddress, maxControlRequestsPerAddress, maxControlBodyBytes: MAX_BODY_BYTES,
    },
    version: options.version ?? '0.1.0',
    joinAttempts,
    ...(faults ? { scripted: { faults, restartJoinService: (ms: number) => restartJoinService(ms) } } : {}),
  });
  await plane.init();

  const joinDeps = { store, clock, authorities, audit, certificates, suite: () => plane.signatureAlgorithmSuite() };
  // The recorder sits next to the transport and the faults inside it, so a
  // transcript shows what really crossed the wire (scripting/fault-stream.ts).
  const serve = (stream: JoinStream) =>
    joinAttempts.record(stream, (recorded, notes) => serveJoin(faults ? withFaults(recorded, faults, notes) : recorded, joinDeps));

  // Whatever started is stopped again if a later listener cannot start (say, its port is taken).
  const started: { close(): Promise<void> }[] = [];
  const starting = async <T extends { close(): Promise<void> }>(listener: Promise<T>): Promise<T> => {
    try {
      const running = await listener;
      started.push(running);
      return running;
    } catch (err) {
      await Promise.allSettled(started.map((l) => l.close()));
      if (!isStore(options.store)) await store.close();
      throw err;
    }
  };

  const grpcServer = await starting(startGrpcJoinServer({
    host: joinHost,
    port: options.joinPort ?? 0,
    tls: { keyPem: authorities.serverTls.keyPem, certPem: authorities.serverTls.certPem, clientCaPems: [authorities.userCa.certificatePem, authorities.hostCa.certificatePem] },
    maxMessageBytes,
    maxStreamsPerAddress,
    streamTimeoutMs: () => plane.streamTimeoutMs(),
    handle: serve,
    onStreamError: (err) => log(`join: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  }));
  joinAddress = options.advertiseJoinAddress ?? grpcServer.address;
  restartJoinService = (ms) => grpcServer.restart(ms);

  const web = await starting(startWebServer({
    host: webHost,
    port: options.webPort ?? 0,
    tls: { keyPem: authorities.serverTls.keyPem, certPem: authorities.serverTls.certPem },
    find: () => findResponse({ clusterName, suite: plane.signatureAlgorithmSuite(), webAddress }),
  }));
  webAddress = options.advertiseWebAddress ?? web.address;

  const controlCredential = options.controlCredential ?? randomBytes(24).toString('base64url');
  const control = await starting(startControlApi({ plane, host: options.controlHost ?? '127.0.0.1', port: options.controlPort ?? 0, credential: controlCredential, maxRequestsPerAddress: maxControlRequestsPerAddress }));

  return {
    clusterName,
    joinAddress,
    webAddress,
    controlUrl: control.url,
    controlCredential,
    authorities,
    openStreams: () => grpcServer.openStreams(),
    openStreamsFrom: (address) => grpcServer.openStreamsFrom(address),
    close: async () => {
      await Promise.allSettled(started.map((l) => l.close()));
      await store.close();
    },
  };
}

/**
 * The first server on a store creates the cluster's authorities; every later
 * start (a restart, or another server sharing the store) loads them, so what
 * was issued before stays verifiable.
 */
async function loadOrCreateAuthorities(store: ClusterStore, opts: CreateAuthoritiesOptions): Promise<ClusterAuthorities> {
  const fresh = encodeAuthorities(await createClusterAuthorities(opts));
  const authorities = await decodeAuthorities(await store.initClusterRecord(AUTHORITIES_RECORD, fresh));
  if (authorities.clusterName !== opts.clusterName) {
    throw badParameter(`the store belongs to cluster "${authorities.clusterName}", not "${opts.clusterName}"`);
  }
  return authorities;
}

function isStore(value: AuthServerOptions['store']): value is ClusterStore {
  return typeof value === 'object' && value !== null && 'getToken' in value;
}

function resolveClock(options: AuthServerOptions): Clock {
  if (typeof options.clock === 'object') return options.clock;
  if (options.clock === 'real') return new SystemClock();
  return new VirtualClock(options.virtualClockStart ?? new Date());
}

/** `[::1]:3025` → `::1`, `127.0.0.1:3025` → `127.0.0.1`. */
function hostOf(address: string): string {
  const host = address.slice(0, address.lastIndexOf(':'));
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
