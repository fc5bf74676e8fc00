// A tiny join client for the reference server's own tests (the suite's
// client lives in steps/ and is for scenarios): one gRPC stream with its own
// connection, raw messages in and out, and an honest bot on top that answers
// challenges and rotation requests with the keys it is given.
import * as grpc from '@grpc/grpc-js';
import type { KeyObject } from 'node:crypto';
import { joinServiceClientConstructor } from '../../protocol/load.js';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import { grpcCodeName } from '../../protocol/errors.js';
import {
  encodeAuthorizedKey, encodePrivateKeyPem, encodeSshWirePublicKey, generateKeyPair, parseAuthorizedKey, publicKeyOf, publicKeysEqual, signChallenge, spkiDer,
} from '../../crypto/index.js';
import type { RunningAuthServer } from '../auth-server.js';
import { EventQueue } from './event-queue.js';

export type StreamEvent = { kind: 'message'; message: JoinResponse } | { kind: 'end'; code: string; details: string };

export class TestJoinStream {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<JoinRequest, JoinResponse>;
  private readonly queue = new EventQueue<StreamEvent>();
  private ended = false;

  constructor(server: Pick<RunningAuthServer, 'joinAddress' | 'authorities'>, identity?: { keyPem: string; certPem: string }) {
    const ca = Buffer.from(server.authorities.hostCa.certificatePem);
    const creds = identity ? grpc.credentials.createSsl(ca, Buffer.from(identity.keyPem), Buffer.from(identity.certPem)) : grpc.credentials.createSsl(ca);
    // A connection of its own, so that dropping it ends this stream only.
    this.client = new joinServiceClientConstructor(server.joinAddress, creds, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.use_local_subchannel_pool': 1 });
    const join = (this.client as unknown as { Join: () => grpc.ClientDuplexStream<JoinRequest, JoinResponse> }).Join;
    this.call = join.call(this.client);
    this.call.on('data', (message: JoinResponse) => this.push({ kind: 'message', message }));
    this.call.on('status', (s: grpc.StatusObject) => this.finish(s.code, s.details));
    this.call.on('error', (e: grpc.ServiceError) => this.finish(e.code ?? grpc.status.UNKNOWN, e.details ?? e.message));
  }

  send(message: JoinRequest): void {
    this.call.write(message);
  }

  async next(timeoutMs = 10_000): Promise<StreamEvent> {
    return this.queue.next(timeoutMs);
  }

  async end(timeoutMs = 10_000): Promise<{ code: string; details: string }> {
    while (true) {
      const e = await this.next(timeoutMs);
      if (e.kind === 'end') return e;
    }
  }

  /** The client goes away: the call is cancelled (closing the channel alone lets calls run on). */
  cancel(): void {
    this.call.cancel();
  }

  close(): void {
    this.client.close();
  }

  private push(e: StreamEvent): void {
    this.queue.push(e);
  }

  private finish(code: number, details: string): void {
    if (this.ended) return;
    this.ended = true;
    this.push({ kind: 'end', code: grpcCodeName(code), details });
  }
}

export interface HonestJoin {
  token: string;
  /** Keys the bot holds; a challenge is answered with the one it names. */
  keys: KeyObject[];
  secret?: string;
  joinState?: Buffer;
  identity?: { keyPem: string; certPem: string };
}

export interface JoinOutcome {
  code: string;
  details: string;
  received: string[];
  result?: JoinResponse['result'];
  /** The key the certificates were issued for, to renew with them over mutual TLS. */
  subjectKeyPem: string;
}

/** A well-behaved bot: ClientInit, BoundKeypairInit, then answers until the stream ends. */
export async function honestJoin(server: Pick<RunningAuthServer, 'joinAddress' | 'authorities'>, j: HonestJoin): Promise<JoinOutcome> {
  const stream = new TestJoinStream(server, j.identity);
  const subject = generateKeyPair('ecdsa-p256');
  const received: string[] = [];
  let result: JoinResponse['result'];
  try {
    stream.send({ client_init: { join_method: 'bound_keypair', token_name: j.token, system_role: 'Bot' } });
    while (true) {
      const e = await stream.next();
      if (e.kind === 'end') return { code: e.code, details: e.details, received, subjectKeyPem: encodePrivateKeyPem(subject.privateKey), ...(result ? { result } : {}) };
      const m = e.message;
      if (m.init) {
        received.push('init');
        stream.send({
          bound_keypair_init: {
            client_params: { bot_params: { public_keys: { public_tls_key: spkiDer(subject.publicKey), public_ssh_key: encodeSshWirePublicKey(subject.publicKey) } } },
            initial_join_secret: j.secret ?? '',
            previous_join_state: j.joinState ?? Buffer.alloc(0),
          },
        });
      } else if (m.challenge?.bound_keypair_challenge) {
        received.push('challenge');
        const c = m.challenge.bound_keypair_challenge;
        const named = parseAuthorizedKey(c.public_key ?? Buffer.alloc(0));
        const key = j.keys.find((k) => publicKeysEqual(publicKeyOf(k), named));
        if (!key) throw new Error('challenged for a key the bot does not hold');
        stream.send({ solution: { bound_keypair_challenge_solution: { solution: Buffer.from(signChallenge(c.challenge ?? '', key)) } } });
      } else if (m.challenge?.bound_keypair_rotation_request) {
        received.push('rotation');
        const fresh = generateKeyPair('ed25519');
        j.keys.unshift(fresh.privateKey);
        stream.send({ solution: { bound_keypair_rotation_response: { public_key: Buffer.from(encodeAuthorizedKey(fresh.publicKey)) } } });
      } else if (m.result) {
        received.push('result');
        result = m.result;
      }
    }
  } finally {
    stream.close();
  }
}
