// The JoinService over gRPC with TLS. Each Join call becomes a JoinStream for
// the protocol handler; this file owns everything transport-specific: TLS
// termination, message size bounds, the per-stream deadline, and turning
// handler errors into gRPC statuses.
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { joinServiceDefinition } from '../../protocol/load.js';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import { TraceError, grpcCodeFor, limitExceeded } from '../../protocol/errors.js';
import { formatGoDuration } from '../clock/clock.js';
import type { JoinStream } from '../join/join-stream.js';
import { StreamClosedError } from '../join/join-stream.js';
import { MessageQueue } from './message-queue.js';
import { PeerCertificates } from './peer-certificates.js';

export interface GrpcJoinServerOptions {
  host: string;
  port: number;
  tls: { keyPem: string; certPem: string; clientCaPems: string[] };
  maxMessageBytes: number;
  /** Read at the start of every stream, so a change applies to new streams only. */
  streamTimeoutMs: () => number;
  handle: (stream: JoinStream) => Promise<void>;
  onStreamError?: (err: unknown) => void;
}

export interface RunningGrpcJoinServer {
  host: string;
  port: number;
  address: string;
  openStreams(): number;
  close(): Promise<void>;
}

type DuplexCall = grpc.ServerDuplexStream<JoinRequest, JoinResponse>;

export async function startGrpcJoinServer(opts: GrpcJoinServerOptions): Promise<RunningGrpcJoinServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  const peers = new PeerCertificates();
  let open = 0;

  server.addService(joinServiceDefinition, {
    Join: (call: DuplexCall) => {
      open++;
      serveJoinCall(call, peers, opts).finally(() => open--);
    },
  });

  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const tlsServer = tls.createServer(
    {
      key: opts.tls.keyPem,
      cert: opts.tls.certPem,
      ca: opts.tls.clientCaPems,
      requestCert: true,
      // Client certificates are judged by the join handler against the
      // server's own clock; the TLS layer must not refuse them.
      rejectUnauthorized: false,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
      handshakeTimeout: 10_000,
    },
    (socket) => {
      peers.remember(socket);
      injector.injectConnection(socket);
    },
  );
  tlsServer.on('tlsClientError', () => {
    // A failed handshake concerns only that client; nothing to clean up.
  });

  await new Promise<void>((resolve, reject) => {
    tlsServer.once('error', reject);
    tlsServer.listen(opts.port, opts.host, () => {
      tlsServer.off('error', reject);
      resolve();
    });
  });
  const { port } = tlsServer.address() as AddressInfo;
  const host = opts.host;

  return {
    host,
    port,
    address: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    openStreams: () => open,
    close: async () => {
      await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
      server.forceShutdown();
    },
  };
}

async function serveJoinCall(call: DuplexCall, peers: PeerCertificates, opts: GrpcJoinServerOptions): Promise<void> {
  const timeoutMs = opts.streamTimeoutMs();
  const queue = new MessageQueue<JoinRequest>();
  const controller = new AbortController();
  const timedOut = limitExceeded(
    `join attempt timed out after ${formatGoDuration(timeoutMs)}, terminating the stream on the server`,
  );
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);

  call.on('data', (msg: JoinRequest) => queue.push(msg));
  call.on('end', () => queue.fail(new StreamClosedError()));
  call.on('error', () => queue.fail(new StreamClosedError('the stream failed')));
  call.on('cancelled', () => {
    queue.fail(new StreamClosedError('the client cancelled the stream'));
    controller.abort(new StreamClosedError('the client cancelled the stream'));
  });
  controller.signal.addEventListener('abort', () => queue.fail(controller.signal.reason));

  const stream: JoinStream = {
    peer: { address: call.getPeer(), certificateChain: peers.lookup(call.getPeer()) },
    signal: controller.signal,
    recv: () => queue.pull(),
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        if (controller.signal.aborted) return reject(controller.signal.reason);
        call.write(message, (err?: Error | null) => (err ? reject(err) : resolve()));
      }),
  };

  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => {});

  try {
    await Promise.race([opts.handle(stream), aborted]);
    if (!call.cancelled) call.end();
  } catch (err) {
    if (!(err instanceof TraceError)) opts.onStreamError?.(err);
    if (!call.cancelled) call.emit('error', toStatus(err));
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort(new StreamClosedError('the join attempt is over'));
  }
}

function toStatus(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof TraceError) return { code: grpcCodeFor(err.kind), details: err.message };
  if (err instanceof StreamClosedError) return { code: grpc.status.CANCELLED, details: err.message };
  // Unexpected failures are bugs in the reference server; say so without leaking internals.
  return { code: grpc.status.INTERNAL, details: 'internal error in the reference auth server' };
}
