// The JoinService over gRPC with TLS. Each Join call becomes a JoinStream for
// the protocol handler; this file owns everything transport-specific: TLS
// termination, message size bounds, the per-stream deadline, the cap on
// open streams per client address (and the pacing of its refusals), flow
// control on unread messages, turning handler errors into gRPC statuses, and
// the two ways a stream can end without a status (a dropped connection, a
// simulated restart). docs/limits.md describes the limits.
import type { TLSSocket } from 'node:tls';
import type tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { joinServiceDefinition } from '../../protocol/load.js';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import { TraceError, limitExceeded } from '../../protocol/errors.js';
import { formatGoDuration } from '../clock/clock.js';
import type { JoinStream } from '../join/join-stream.js';
import { StreamClosedError, StreamDroppedError, StreamStatusError } from '../join/join-stream.js';
import { streamStatusOf } from '../join/stream-status.js';
import { MessageQueue } from './message-queue.js';
import { PeerCertificates, peerHost } from './peer-certificates.js';
import { PerAddressSlots, clientAddressKey, tooManyFrom } from '../limits/per-address-slots.js';
import { RefusalPacing } from '../limits/refusal-pacing.js';
import { Connections } from './connections.js';
import { createTlsListener, listen, stopListening } from './tls-listener.js';

export interface GrpcJoinServerOptions {
  host: string;
  port: number;
  tls: { keyPem: string; certPem: string; clientCaPems: string[] };
  maxMessageBytes: number;
  /** Open join streams one client address may hold at once; 0: no cap. */
  maxStreamsPerAddress: number;
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
  /** Open streams of one client address (an IP address, no port). */
  openStreamsFrom(address: string): number;
  /**
   * A simulated restart: stop listening, drop every connection (open streams
   * end as a crash would end them), wait `downMs`, listen again on the same
   * address. Resolves once the listener accepts connections again.
   */
  restart(downMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Messages received but not yet asked for. An honest client never has more
 * than one in flight; past this the server stops reading, so HTTP/2 flow
 * control makes a client that floods the stream wait (Go's gRPC server reads
 * only when the handler calls Recv, with the same effect).
 */
export const MAX_UNREAD_MESSAGES = 8;

/**
 * Refusals for the stream cap sent at once to one address in a second; past
 * that, each waits REFUSAL_DELAY_MS (limits/refusal-pacing.ts).
 */
export const REFUSAL_BURST = 16;
export const REFUSAL_DELAY_MS = 1_000;

type DuplexCall = grpc.ServerDuplexStream<JoinRequest, JoinResponse>;

interface Transport {
  peers: PeerCertificates;
  connections: Connections;
  /** Every stream still being served, so a restart can end them. */
  live: Set<AbortController>;
}

export async function startGrpcJoinServer(opts: GrpcJoinServerOptions): Promise<RunningGrpcJoinServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  const transport: Transport = { peers: new PeerCertificates(), connections: new Connections(), live: new Set() };
  let open = 0;
  const perAddress = new PerAddressSlots(opts.maxStreamsPerAddress);
  const pacing = new RefusalPacing(REFUSAL_BURST, REFUSAL_DELAY_MS);

  server.addService(joinServiceDefinition, {
    Join: (call: DuplexCall) => {
      // Refused before the handler, like Teleport's limiter interceptor: no
      // audit event, no transcript, nothing read.
      const address = peerHost(call.getPeer());
      const release = perAddress.acquire(address);
      if (!release) {
        const refusal = toStatus(limitExceeded(tooManyFrom(address, perAddress.heldBy(address), perAddress.max, 'open join streams')));
        const delay = pacing.delayFor(clientAddressKey(address));
        if (delay === 0) return void call.emit('error', refusal);
        const timer = setTimeout(() => call.cancelled || call.emit('error', refusal), delay);
        timer.unref();
        call.once('cancelled', () => clearTimeout(timer));
        return;
      }
      open++;
      serveJoinCall(call, transport, opts).finally(() => {
        open--;
        release();
      });
    },
  });

  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const newListener = () =>
    createTlsListener({
      ...opts.tls,
      onConnection: (socket: TLSSocket) => {
        transport.peers.remember(socket);
        transport.connections.remember(socket);
        injector.injectConnection(socket);
      },
    });

  let listener: tls.Server = newListener();
  const port = await listen(listener, opts.host, opts.port);
  const host = opts.host;
  let closed = false;
  let restarting: Promise<void> = Promise.resolve();
  // Cuts a restart's downtime short when the server is closed meanwhile.
  let wake = () => {};

  const restartOnce = async (downMs: number) => {
    const stopped = stopListening(listener);
    const dropped = new StreamDroppedError('connection dropped: the join service restarted (scripted restart)');
    for (const controller of transport.live) controller.abort(dropped);
    transport.connections.destroyAll();
    await stopped;
    if (downMs > 0 && !closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, downMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (closed) return;
    listener = newListener();
    await listen(listener, host, port);
  };

  return {
    host,
    port,
    address: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    openStreams: () => open,
    openStreamsFrom: (address) => perAddress.heldBy(address),
    // Restarts run one after another; a second request waits for the first.
    restart: (downMs) => (restarting = restarting.catch(() => {}).then(() => restartOnce(downMs))),
    close: async () => {
      closed = true;
      wake();
      await restarting.catch(() => {});
      const stopped = stopListening(listener);
      server.forceShutdown();
      transport.connections.destroyAll();
      await stopped;
    },
  };
}

async function serveJoinCall(call: DuplexCall, transport: Transport, opts: GrpcJoinServerOptions): Promise<void> {
  const timeoutMs = opts.streamTimeoutMs();
  const queue = new MessageQueue<JoinRequest>();
  const controller = new AbortController();
  transport.live.add(controller);
  const timedOut = limitExceeded(
    `join attempt timed out after ${formatGoDuration(timeoutMs)}, terminating the stream on the server`,
  );
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);

  call.on('data', (msg: JoinRequest) => {
    queue.push(msg);
    if (queue.length >= MAX_UNREAD_MESSAGES) call.pause();
  });
  call.on('end', () => queue.fail(new StreamClosedError()));
  call.on('error', () => queue.fail(new StreamClosedError('the stream failed')));
  call.on('cancelled', () => {
    queue.fail(new StreamClosedError('the client cancelled the stream'));
    controller.abort(new StreamClosedError('the client cancelled the stream'));
  });
  controller.signal.addEventListener('abort', () => queue.fail(controller.signal.reason));

  const peer = call.getPeer();
  const stream: JoinStream = {
    peer: { address: peer, certificateChain: transport.peers.lookup(peer) },
    signal: controller.signal,
    recv: () => {
      const next = queue.pull();
      if (call.isPaused() && queue.length < MAX_UNREAD_MESSAGES) call.resume();
      return next;
    },
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        if (controller.signal.aborted) return reject(controller.signal.reason);
        call.write(message, (err?: Error | null) => (err ? reject(err) : resolve()));
      }),
    abort: (reason) => controller.abort(reason),
  };

  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => {});

  try {
    await Promise.race([opts.handle(stream), aborted]);
    if (!call.cancelled) call.end();
  } catch (err) {
    if (err instanceof StreamDroppedError) {
      // No status: the connection just goes, as it would if the server crashed.
      transport.connections.destroy(peer);
      return;
    }
    if (!isExpectedEnd(err)) opts.onStreamError?.(err);
    if (!call.cancelled) call.emit('error', toStatus(err));
  } finally {
    clearTimeout(timer);
    transport.live.delete(controller);
    if (!controller.signal.aborted) controller.abort(new StreamClosedError('the join attempt is over'));
  }
}

/** Refusals, scripted endings and clients going away are part of the protocol, not server bugs. */
function isExpectedEnd(err: unknown): boolean {
  return err instanceof TraceError || err instanceof StreamStatusError || err instanceof StreamClosedError;
}

function toStatus(err: unknown): Partial<grpc.StatusObject> {
  const { code, details } = streamStatusOf(err);
  return { code, details };
}
