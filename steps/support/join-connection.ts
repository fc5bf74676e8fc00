// One join stream from the client's side, at the message level: send any
// JoinRequest (well-formed or not), read responses one at a time, and learn
// how the stream ended. The ceremony runner (ceremony.ts) builds honest and
// adversarial bots on top of this.
import * as grpc from '@grpc/grpc-js';
import { joinServiceClientConstructor } from '../../reference/protocol/load.js';
import type { JoinRequest, JoinResponse } from '../../reference/protocol/messages.js';
import { describeRequest, describeResponse } from '../../reference/protocol/messages.js';
import { grpcCodeName } from '../../reference/protocol/errors.js';
import { streamOpened } from './scenario-streams.js';

export interface JoinTarget {
  address: string;
  /** PEM of the host CA(s) to trust. */
  caPem: string;
  /** TLS server name to verify; the cluster name or localhost. */
  serverName: string;
}

export interface ClientIdentity {
  keyPem: string;
  certPem: string;
}

export interface StreamEnd {
  code: number;
  codeName: string;
  details: string;
}

export interface WireRecord {
  direction: 'client' | 'server';
  type: string;
  message: JoinRequest | JoinResponse;
}

type Event = { kind: 'message'; message: JoinResponse } | { kind: 'end'; end: StreamEnd };

export class JoinConnection {
  readonly wire: WireRecord[] = [];
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<JoinRequest, JoinResponse>;
  private readonly events: Event[] = [];
  private waiter: ((e: Event) => void) | undefined;
  private ended: StreamEnd | undefined;

  constructor(target: JoinTarget, identity?: ClientIdentity, options: grpc.ChannelOptions = {}) {
    const creds = identity
      ? grpc.credentials.createSsl(Buffer.from(target.caPem), Buffer.from(identity.keyPem), Buffer.from(identity.certPem))
      : grpc.credentials.createSsl(Buffer.from(target.caPem));
    this.client = new joinServiceClientConstructor(target.address, creds, {
      'grpc.ssl_target_name_override': target.serverName,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
      ...options,
    });
    const join = (this.client as unknown as { Join: () => grpc.ClientDuplexStream<JoinRequest, JoinResponse> }).Join;
    this.call = join.call(this.client);
    streamOpened(this);
    this.call.on('data', (message: JoinResponse) => {
      this.wire.push({ direction: 'server', type: describeResponse(message), message });
      this.push({ kind: 'message', message });
    });
    this.call.on('status', (status: grpc.StatusObject) => this.finish(status.code, status.details));
    this.call.on('error', (err: grpc.ServiceError) => this.finish(err.code ?? grpc.status.UNKNOWN, err.details ?? err.message));
  }

  send(message: JoinRequest): void {
    this.wire.push({ direction: 'client', type: describeRequest(message), message });
    this.call.write(message);
  }

  /** Half-close: the client will send nothing more. */
  closeSend(): void {
    this.call.end();
  }

  cancel(): void {
    this.call.cancel();
  }

  /** The next server message, or how the stream ended. */
  async next(timeoutMs = 10_000): Promise<Event> {
    const queued = this.events.shift();
    if (queued) return queued;
    return new Promise<Event>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no message from the server within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (e) => {
        clearTimeout(timer);
        resolve(e);
      };
    });
  }

  /** Waits for the end of the stream, skipping any further messages. */
  async end(timeoutMs = 10_000): Promise<StreamEnd> {
    while (true) {
      const e = await this.next(timeoutMs);
      if (e.kind === 'end') return e.end;
    }
  }

  close(): void {
    this.client.close();
  }

  /** How the stream ended, once it has. */
  get endedWith(): StreamEnd | undefined {
    return this.ended;
  }

  private push(e: Event): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(e);
    } else {
      this.events.push(e);
    }
  }

  private finish(code: number, details: string): void {
    if (this.ended) return;
    this.ended = { code, codeName: grpcCodeName(code), details };
    this.push({ kind: 'end', end: this.ended });
  }
}
