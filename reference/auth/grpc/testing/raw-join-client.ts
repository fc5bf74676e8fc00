// A join client that speaks gRPC's wire format by hand over node:http2 and
// TLS, for tests of the transport itself. grpc-js cannot do two things these
// tests need: bind the connection to a chosen local address (to be a second
// client on 127.0.0.2 — Linux routes all of 127/8 to loopback) and put
// arbitrary bytes on the stream (truncated or mislabelled frames). Messages
// are still encoded with the service definition's own codec.
import http2 from 'node:http2';
import tls from 'node:tls';
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import { joinServiceDefinition } from '../../../protocol/load.js';
import type { JoinRequest, JoinResponse } from '../../../protocol/messages.js';
import { EventQueue } from '../../testing/event-queue.js';

const JOIN_PATH = '/teleport.join.v1.JoinService/Join';
const codec = joinServiceDefinition.Join as unknown as {
  requestSerialize(value: JoinRequest): Buffer;
  responseDeserialize(bytes: Buffer): JoinResponse;
};

/** How an end without a gRPC status (a reset or cut stream) is reported, with UNAVAILABLE as grpc-js does. */
export const NO_STATUS = 'the stream closed without a status';

/** gRPC status codes the tests name (grpc-js's numbering). */
export const CANCELLED = 1;
export const UNAVAILABLE = 14;

export interface RawConnectOptions {
  /** host:port of the join service. */
  joinAddress: string;
  /** PEM of the CA the server's certificate chains to (the cluster's host CA). */
  caPem: string;
  /** Local IP to connect from, e.g. 127.0.0.2; the OS picks one when absent. */
  localAddress?: string;
  /** A client certificate for mutual TLS (renewals). */
  identity?: { keyPem: string; certPem: string };
}

export type RawEvent = { kind: 'message'; message: JoinResponse } | { kind: 'end'; code: number; details: string };

export function encodeJoinRequest(message: JoinRequest): Buffer {
  return codec.requestSerialize(message);
}

/** One gRPC length-prefixed message: a compressed flag, a 4-byte big-endian length, the payload. */
export function grpcFrame(payload: Buffer, opts: { compressed?: boolean; declaredLength?: number } = {}): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(opts.compressed ? 1 : 0, 0);
  header.writeUInt32BE(opts.declaredLength ?? payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** One TLS connection carrying one HTTP/2 session; streams are opened on it. */
export class RawJoinConnection {
  private constructor(
    private readonly session: ClientHttp2Session,
    private readonly socket: tls.TLSSocket,
  ) {}

  static open(opts: RawConnectOptions): Promise<RawJoinConnection> {
    const i = opts.joinAddress.lastIndexOf(':');
    const host = opts.joinAddress.slice(0, i).replace(/^\[(.*)\]$/, '$1');
    const port = Number(opts.joinAddress.slice(i + 1));
    const socket = tls.connect({
      host,
      port,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      ca: opts.caPem,
      servername: 'localhost',
      ALPNProtocols: ['h2'],
      ...(opts.identity ? { key: opts.identity.keyPem, cert: opts.identity.certPem } : {}),
    });
    const session = http2.connect(`https://localhost:${port}`, { createConnection: () => socket });
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => {
        session.destroy();
        reject(err);
      };
      session.once('error', failed);
      session.once('connect', () => {
        session.off('error', failed);
        // Errors after the connection is up end up on the streams.
        session.on('error', () => {});
        resolve(new RawJoinConnection(session, socket));
      });
    });
  }

  /** False once the connection is closed, destroyed or going away: open a new one. */
  get usable(): boolean {
    return !this.session.closed && !this.session.destroyed && !this.socket.destroyed;
  }

  /** The local address the server sees, e.g. 127.0.0.2. */
  get localAddress(): string {
    return this.socket.localAddress ?? '';
  }

  stream(): RawJoinStream {
    return new RawJoinStream(
      this.session.request({
        ':method': 'POST',
        ':path': JOIN_PATH,
        'content-type': 'application/grpc',
        te: 'trailers',
      }),
    );
  }

  /**
   * Cuts the TCP connection, as a client that crashes or loses its network
   * would; the session follows its socket. (Destroying the session itself
   * while the server it talks to runs in the same process sometimes
   * corrupted the heap in Node 20.20: "corrupted size vs. prev_size".)
   */
  destroy(): void {
    this.socket.destroy();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.session.destroyed || this.session.closed) return resolve();
      this.session.close(() => resolve());
      // A stream the server never ends would hold close() open.
      setTimeout(() => this.destroy(), 2_000).unref();
    });
  }
}

/** One Join call: frames out, decoded messages and the final status in. */
export class RawJoinStream {
  private readonly queue = new EventQueue<RawEvent>();
  private pending = Buffer.alloc(0);
  private status: { code: number; details: string } | undefined;
  readonly ended: Promise<{ code: number; details: string }>;

  constructor(private readonly req: ClientHttp2Stream) {
    let settle: (s: { code: number; details: string }) => void = () => {};
    this.ended = new Promise((resolve) => (settle = resolve));
    const finish = (code: number, details: string) => {
      if (this.status) return;
      this.status = { code, details };
      settle(this.status);
      this.push({ kind: 'end', code, details });
    };
    // A trailers-only answer carries the status in the response headers.
    req.on('response', (headers) => {
      const s = statusOf(headers);
      if (s) finish(s.code, s.details);
    });
    req.on('trailers', (headers) => {
      const s = statusOf(headers);
      finish(s?.code ?? 2, s?.details ?? 'trailers without grpc-status');
    });
    req.on('data', (chunk: Buffer) => this.onData(chunk));
    req.on('error', () => {});
    req.on('close', () => finish(UNAVAILABLE, `${NO_STATUS} (HTTP/2 code ${req.rstCode ?? 0})`));
  }

  send(message: JoinRequest): void {
    this.write(grpcFrame(encodeJoinRequest(message)));
  }

  /**
   * Puts bytes on the stream exactly as given (use grpcFrame for a
   * well-formed prefix); `onFlushed` runs once HTTP/2 has sent them, which
   * flow control delays while the server reads nothing.
   */
  write(bytes: Buffer, onFlushed?: () => void): void {
    if (!this.req.writable) return;
    this.req.write(bytes, onFlushed ? () => onFlushed() : undefined);
  }

  /** Half-closes: the client will send nothing more. */
  end(): void {
    if (!this.req.writable) return;
    this.req.end();
  }

  /** Cancels the call (RST_STREAM CANCEL), as a client that gives up would. */
  cancel(): void {
    this.req.close(http2.constants.NGHTTP2_CANCEL);
  }

  get done(): boolean {
    return this.status !== undefined;
  }

  /** The next event if one has arrived, without waiting. */
  poll(): RawEvent | undefined {
    return this.queue.poll();
  }

  async next(timeoutMs = 10_000): Promise<RawEvent> {
    return this.queue.next(timeoutMs);
  }

  private push(e: RawEvent): void {
    this.queue.push(e);
  }

  private onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + length) return;
      const payload = this.pending.subarray(5, 5 + length);
      this.pending = this.pending.subarray(5 + length);
      this.push({ kind: 'message', message: codec.responseDeserialize(Buffer.from(payload)) });
    }
  }
}

function statusOf(headers: IncomingHttpHeaders): { code: number; details: string } | undefined {
  const code = headers['grpc-status'];
  if (code === undefined) return undefined;
  const message = headers['grpc-message'];
  return { code: Number(code), details: decodeGrpcMessage(typeof message === 'string' ? message : '') };
}

/** grpc-message is percent-encoded; a malformed escape is kept as it is. */
function decodeGrpcMessage(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
