// A join stream driven by hand, one message at a time, for the wire protocol
// scenarios (features/protocol). Where the ceremony runner (ceremony.ts)
// plays a whole bot, a "wire client" lets a scenario send exactly the message
// it wants — out of order, malformed, oversized — and see what the server
// does about it.
//
// The join protocol is strictly request/response: every client message is
// answered by exactly one server event (the next message, or the end of the
// stream). So each send waits for that event, and a scenario can check it
// right away. When the stream ends, the World's lastOutcome is filled in the
// same shape runJoin produces, so the shared steps ("the join fails with …",
// "no ServerInit was sent", "nothing changed on the server") apply unchanged.
import type { BoundKeypairChallenge, BoundKeypairRotationRequest, BotResult, JoinRequest, JoinResponse, ServerInit } from '../../reference/protocol/messages.js';
import { describeResponse } from '../../reference/protocol/messages.js';
import { encodeSshWirePublicKey } from '../../reference/crypto/index.js';
import { JoinConnection } from './join-connection.js';
import type { StreamEnd, WireRecord } from './join-connection.js';
import type { JoinOutcome } from './ceremony.js';
import { signChallenge } from './ceremony.js';
import type { KeyHolder } from './keys.js';
import { newKey } from './keys.js';
import { takeSnapshot } from './snapshot.js';
import type { BkpWorld } from './world.js';

export type ServerEvent = { kind: 'message'; message: JoinResponse; type: string } | { kind: 'end'; end: StreamEnd };

/** Request message kinds a wire client can send by name. */
export const REQUEST_KINDS = ['ClientInit', 'BoundKeypairInit', 'BoundKeypairChallengeSolution', 'BoundKeypairRotationResponse', 'GivingUp'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** How long a wire client waits for the server's answer to one message. */
const ANSWER_TIMEOUT_MS = 10_000;

export class WireClient {
  readonly conn: JoinConnection;
  readonly tokenName: string;
  /** Subject keys for the certificates, as a bot would generate them. */
  readonly subject: KeyHolder = newKey('ecdsa-p256');
  /** Keys this client offered in rotation responses, newest first. */
  readonly offered: KeyHolder[] = [];
  serverInit: ServerInit | undefined;
  readonly challenges: BoundKeypairChallenge[] = [];
  readonly rotationRequests: BoundKeypairRotationRequest[] = [];
  result: BotResult | undefined;
  last: ServerEvent | undefined;
  end: StreamEnd | undefined;
  /** Wall-clock times (ms) the stream was opened and seen to end, for timeout checks. */
  readonly openedAt = Date.now();
  endedAt: number | undefined;

  private constructor(private readonly world: BkpWorld, tokenName: string) {
    this.tokenName = tokenName;
    this.conn = new JoinConnection(world.join);
  }

  /** Opens a new stream, first recording the server's state for "nothing changed" checks. */
  static async open(world: BkpWorld, tokenName: string): Promise<WireClient> {
    world.before = await takeSnapshot(world.control);
    const client = new WireClient(world, tokenName);
    world.lastOutcome = undefined;
    return client;
  }

  get wire(): WireRecord[] {
    return this.conn.wire;
  }

  /** Sends one message and waits for the server's answer to it. */
  async send(message: JoinRequest, timeoutMs = ANSWER_TIMEOUT_MS): Promise<ServerEvent> {
    if (this.end) throw new Error(`the stream already ended (${this.end.codeName}: ${this.end.details}); nothing more can be sent`);
    this.conn.send(message);
    return this.awaitAnswer(timeoutMs);
  }

  /** Half-closes the stream and waits for the server's reaction. */
  async closeSend(timeoutMs = ANSWER_TIMEOUT_MS): Promise<ServerEvent> {
    this.conn.closeSend();
    return this.awaitAnswer(timeoutMs);
  }

  /** Waits for the next server event without sending anything. */
  async awaitAnswer(timeoutMs = ANSWER_TIMEOUT_MS): Promise<ServerEvent> {
    const e = await this.conn.next(timeoutMs);
    let event: ServerEvent;
    if (e.kind === 'end') {
      event = { kind: 'end', end: e.end };
      this.finish(e.end);
    } else {
      event = { kind: 'message', message: e.message, type: describeResponse(e.message) };
      this.record(e.message);
    }
    this.last = event;
    return event;
  }

  /** A plausible message of the given kind for wherever the stream is now. */
  async message(kind: RequestKind): Promise<JoinRequest> {
    switch (kind) {
      case 'ClientInit':
        return { client_init: { token_name: this.tokenName, system_role: 'Bot' } };
      case 'BoundKeypairInit':
        return this.boundKeypairInit();
      case 'BoundKeypairChallengeSolution': {
        // Signed by a key of its own: what matters here is the message type.
        const document = this.challenges.at(-1)?.challenge ?? '{}';
        const solution = await signChallenge(document, { key: newKey('ed25519') });
        return { solution: { bound_keypair_challenge_solution: { solution: Buffer.from(solution) } } };
      }
      case 'BoundKeypairRotationResponse':
        return this.rotationResponse();
      case 'GivingUp':
        return { giving_up: { reason: 'REASON_CHALLENGE_SOLUTION_FAILED', msg: 'the wire client gave up' } };
    }
  }

  boundKeypairInit(extra: { secret?: string } = {}): JoinRequest {
    return {
      bound_keypair_init: {
        client_params: {
          bot_params: {
            public_keys: {
              public_tls_key: this.subject.publicKey.export({ format: 'der', type: 'spki' }),
              public_ssh_key: encodeSshWirePublicKey(this.subject.publicKey),
            },
          },
        },
        ...(extra.secret !== undefined ? { initial_join_secret: extra.secret } : {}),
      },
    };
  }

  rotationResponse(): JoinRequest {
    const key = newKey('ed25519');
    this.offered.unshift(key);
    return { solution: { bound_keypair_rotation_response: { public_key: Buffer.from(key.authorizedKey) } } };
  }

  async solution(key: KeyHolder): Promise<JoinRequest> {
    const challenge = this.challenges.at(-1);
    if (!challenge) throw new Error('the server has sent no challenge to answer');
    const solution = await signChallenge(challenge.challenge ?? '', { key });
    return { solution: { bound_keypair_challenge_solution: { solution: Buffer.from(solution) } } };
  }

  /** Ends the stream from the client's side and releases the channel. */
  dispose(): void {
    if (!this.end) this.conn.cancel();
    this.conn.close();
  }

  private record(message: JoinResponse): void {
    if (message.init) this.serverInit = message.init;
    else if (message.challenge?.bound_keypair_challenge) this.challenges.push(message.challenge.bound_keypair_challenge);
    else if (message.challenge?.bound_keypair_rotation_request) this.rotationRequests.push(message.challenge.bound_keypair_rotation_request);
    else if (message.result?.bot_result) this.result = message.result.bot_result;
  }

  private finish(end: StreamEnd): void {
    this.end = end;
    this.endedAt = Date.now();
    const outcome: JoinOutcome = {
      ok: end.code === 0 && this.result !== undefined,
      end,
      challenges: this.challenges,
      rotationRequests: this.rotationRequests,
      offeredKeys: this.offered,
      wire: this.conn.wire,
      ...(this.serverInit ? { serverInit: this.serverInit } : {}),
      ...(this.result ? { result: this.result } : {}),
    };
    this.world.lastOutcome = outcome;
    this.conn.close();
  }
}

/** The wire client of each scenario (the World class is shared, so it is kept here). */
const clients = new WeakMap<BkpWorld, WireClient>();

export async function openWireClient(world: BkpWorld, tokenName: string): Promise<WireClient> {
  clients.get(world)?.dispose();
  const client = await WireClient.open(world, tokenName);
  clients.set(world, client);
  return client;
}

export function wireClient(world: BkpWorld): WireClient {
  const client = clients.get(world);
  if (!client) throw new Error('no wire client in this scenario; start with "When a wire client opens a join stream …"');
  return client;
}

export function disposeWireClient(world: BkpWorld): void {
  clients.get(world)?.dispose();
  clients.delete(world);
}
