// One teleport.join.v1 Join stream from the bot's side, over @grpc/grpc-js
// with TLS: the server is verified against the configured CAs (or not at
// all with `insecure`), and a renewal presents the bot's identity as a
// client certificate. Incoming messages are bounded in size, the whole
// stream has a deadline, and every wait for a message is bounded by it.
import * as grpc from '@grpc/grpc-js';
import { joinServiceClientConstructor } from '../../protocol/load.js';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import type { BotIdentity, ServerTrust } from './join-types.js';
import { errorMessage, localError } from './join-errors.js';

/** Far above a real result (certificates and a join state are a few KiB). */
export const MAX_INCOMING_MESSAGE_BYTES = 4 * 1024 * 1024;

export type StreamEvent =
  | { kind: 'message'; message: JoinResponse }
  | { kind: 'end'; code: number; details: string };

export class BotJoinStream {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<JoinRequest, JoinResponse>;
  private readonly queue: StreamEvent[] = [];
  private waiter: ((e: StreamEvent) => void) | undefined;
  private ended = false;

  /** `deadline` is wall-clock time: transport timeouts never follow a virtual bot clock. */
  constructor(address: string, trust: ServerTrust, identity: BotIdentity | undefined, private readonly deadline: Date) {
    const options: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': MAX_INCOMING_MESSAGE_BYTES,
      // No retries or reconnects behind our back: one join is one attempt.
      'grpc.enable_retries': 0,
    };
    if (trust.serverName) options['grpc.ssl_target_name_override'] = trust.serverName;
    this.client = new joinServiceClientConstructor(address, channelCredentials(trust, identity), options);
    const join = (this.client as unknown as { Join: (opts: grpc.CallOptions) => grpc.ClientDuplexStream<JoinRequest, JoinResponse> }).Join;
    this.call = join.call(this.client, { deadline });
    this.call.on('data', (message: JoinResponse) => this.push({ kind: 'message', message }));
    this.call.on('status', (s: grpc.StatusObject) => this.finish(s.code, s.details));
    this.call.on('error', (err: grpc.ServiceError) => this.finish(err.code ?? grpc.status.UNKNOWN, err.details ?? err.message));
  }

  send(message: JoinRequest): void {
    if (!this.ended) this.call.write(message);
  }

  /** The next server message, or how the stream ended. */
  next(): Promise<StreamEvent> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    // grpc-js enforces the deadline; this timer only guards against a stream that never reports.
    const waitMs = Math.max(0, this.deadline.getTime() - Date.now()) + 2_000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve({ kind: 'end', code: grpc.status.DEADLINE_EXCEEDED, details: 'join stream deadline exceeded' });
      }, waitMs);
      this.waiter = (e) => {
        clearTimeout(timer);
        resolve(e);
      };
    });
  }

  /** Waits (at most `maxMs`) for the server to end the stream, skipping messages. */
  async drain(maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while (!this.ended && Date.now() < until) {
      const event = await Promise.race([this.next(), sleep(until - Date.now())]);
      if (!event || event.kind === 'end') return;
    }
  }

  /** Half-close: the bot sends nothing more. */
  closeSend(): void {
    if (!this.ended) this.call.end();
  }

  /** Cancels the call (if still open) and closes the channel. */
  close(): void {
    if (!this.ended) this.call.cancel();
    this.client.close();
  }

  private push(e: StreamEvent): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(e);
    } else {
      this.queue.push(e);
    }
  }

  private finish(code: number, details: string): void {
    if (this.ended) return;
    this.ended = true;
    this.push({ kind: 'end', code, details });
  }
}

function channelCredentials(trust: ServerTrust, identity: BotIdentity | undefined): grpc.ChannelCredentials {
  const key = identity ? Buffer.from(identity.keyPem) : null;
  const cert = identity ? Buffer.from(identity.tlsCertPem) : null;
  try {
    if (trust.insecure) {
      // tbot's --insecure: no verification of the server's certificate at all.
      return grpc.credentials.createSsl(null, key, cert, { rejectUnauthorized: false, checkServerIdentity: () => undefined });
    }
    if (!trust.caPems || trust.caPems.length === 0) {
      throw new Error('no certificate authority to verify the auth server with (give CA certificates, or choose insecure)');
    }
    return grpc.credentials.createSsl(Buffer.from(trust.caPems.join('\n')), key, cert);
  } catch (err) {
    throw localError(`setting up TLS for the join service: ${errorMessage(err)}`);
  }
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), Math.max(0, ms)).unref());
}
