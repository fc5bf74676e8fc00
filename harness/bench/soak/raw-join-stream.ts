// A join stream spoken over HTTP/2 by hand, for the one thing grpc-js will
// not do on request: vanish. Closing a grpc-js channel lets its calls run on,
// and cancelling sends RST_STREAM, which is polite. A client that crashes or
// loses its network just stops: here the TLS socket is destroyed with no
// frame sent. Messages are encoded with the service's own serialisers
// (reference/protocol/load.ts), framed as gRPC frames (a flag byte and a
// 32-bit length before each message).
import http2 from 'node:http2';
import tls from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';
import { joinServiceDefinition } from '../../../reference/protocol/load.js';
import type { JoinRequest, JoinResponse } from '../../../reference/protocol/messages.js';
import type { JoinEndpoint } from '../join-client.js';

const JOIN = joinServiceDefinition.Join as unknown as {
  path: string;
  requestSerialize: (m: JoinRequest) => Buffer;
  responseDeserialize: (b: Buffer) => JoinResponse;
};

export class RawJoinStream {
  private readonly socket: TLSSocket;
  private readonly session: ClientHttp2Session;
  private readonly stream: ClientHttp2Stream;
  private buffered = Buffer.alloc(0);
  private readonly messages: JoinResponse[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  /** grpc-status of the end, when the server sent one. */
  status: number | undefined;

  constructor(endpoint: JoinEndpoint) {
    const [host, port] = splitAddress(endpoint.joinAddress);
    // The socket is made here, so that vanish() can destroy it: http2 guards the one it makes itself.
    this.socket = tls.connect({ host, port, ca: endpoint.hostCaPem, servername: 'localhost', ALPNProtocols: ['h2'] });
    this.socket.on('error', () => this.finish());
    this.session = http2.connect(`https://${endpoint.joinAddress}`, { createConnection: () => this.socket });
    this.session.on('error', () => this.finish());
    this.stream = this.session.request({
      ':method': 'POST',
      ':path': JOIN.path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    this.stream.on('data', (chunk: Buffer) => this.receive(chunk));
    // A status comes in the trailers, or in the headers of a trailers-only answer.
    const statusOf = (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) this.status = Number(h['grpc-status']);
    };
    this.stream.on('response', statusOf);
    this.stream.on('trailers', statusOf);
    // 'end': the server has finished its side (it may end a stream the client never closed).
    this.stream.on('end', () => this.finish());
    this.stream.on('close', () => this.finish());
    this.stream.on('error', () => this.finish());
  }

  send(message: JoinRequest): void {
    const body = JOIN.requestSerialize(message);
    const frame = Buffer.alloc(5 + body.length);
    frame.writeUInt32BE(body.length, 1);
    body.copy(frame, 5);
    this.stream.write(frame);
  }

  /** The next server message, or undefined once the stream has ended. */
  async next(timeoutMs: number): Promise<JoinResponse | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0 && !this.ended) {
      if (Date.now() >= deadline) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.messages.shift();
  }

  /** Stops sending (END_STREAM) but keeps listening. */
  halfClose(): void {
    this.stream.end();
  }

  /** Closes the stream (RST_STREAM NO_ERROR if still open) and the connection, politely. */
  close(): void {
    if (!this.stream.closed) this.stream.close(http2.constants.NGHTTP2_NO_ERROR);
    this.session.close();
  }

  /** Gone without a word: the socket is destroyed, no RST_STREAM, no GOAWAY. */
  vanish(): void {
    this.socket.destroy();
    this.session.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 5) {
      const length = this.buffered.readUInt32BE(1);
      if (this.buffered.length < 5 + length) break;
      this.messages.push(JOIN.responseDeserialize(this.buffered.subarray(5, 5 + length)));
      this.buffered = this.buffered.subarray(5 + length);
    }
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/** `127.0.0.1:3025` or `[::1]:3025` → host and port. */
function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), Number(address.slice(i + 1))];
}
