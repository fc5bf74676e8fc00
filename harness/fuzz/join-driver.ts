// Runs one fuzz case on a join stream of its own connection: the moves in
// order (honest, mutated, arbitrary, wrong-order bursts, damaged frames),
// each followed by the server's answer, then the case's ending (half-close,
// cancel, or a dropped connection). Returns what the client observed; the
// properties judge it.
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { JoinRequest, JoinResponse } from '../../reference/protocol/messages.js';
import { NO_STATUS, encodeJoinRequest } from '../../reference/auth/grpc/testing/raw-join-client.js';
import type { RawJoinStream } from '../../reference/auth/grpc/testing/raw-join-client.js';
import { control } from '../../reference/auth/testing/control.js';
import { HonestClient } from './honest-client.js';
import { applyMutation } from './mutations.js';
import type { Mutation } from './mutations.js';
import { attackBytes } from './frames.js';
import type { FrameAttack } from './frames.js';
import type { FuzzTarget, TokenFixture } from './fixture.js';
import type { ConnectionPool } from './connection-pool.js';

/** A join state minting request (POST join-states): a join state the server's own CA signed. */
export type MintRequest = Record<string, string | number>;

export type Move =
  | { kind: 'honest' }
  | { kind: 'mutated'; mutation: Mutation }
  | { kind: 'arbitrary'; message: JoinRequest }
  | { kind: 'burst'; messages: JoinRequest[] }
  | { kind: 'minted-join-state'; request: MintRequest }
  | { kind: 'frame'; attack: FrameAttack };

export type Ending = 'half-close' | 'cancel' | 'drop';

export interface JoinCase {
  /** A fixture token (by index) or an arbitrary token name. */
  token: number | string;
  /** Present the fixture's certificate (a renewal) and/or send its join state (a recovery). */
  identity: boolean;
  joinState: boolean;
  moves: Move[];
  ending: Ending;
}

export interface JoinObservation {
  /** The status the server ended the stream with; absent when the client cancelled or dropped first. */
  status?: { code: number; details: string };
  received: string[];
  /** A move waited longer than the case timeout for the server's answer. */
  stalled?: string;
}

export interface DriverOptions {
  /** Longest wait for one answer of the server. */
  answerTimeoutMs: number;
  maxMessageBytes: number;
  connections: ConnectionPool;
}

export async function runJoinCase(target: FuzzTarget, c: JoinCase, opts: DriverOptions, tokenOverride?: TokenFixture): Promise<JoinObservation> {
  const fixture = tokenOverride ?? fixtureFor(target, c.token);
  const honest = new HonestClient(fixture, c.joinState);
  const conn = await opts.connections.get(c.identity ? fixture.identity : undefined);
  const stream = conn.stream();
  const seen: JoinObservation = { received: [] };
  let last: JoinResponse | undefined;
  // After bytes that may not complete a frame, what follows is read as part of it: no answer can be expected.
  let framesInSync = true;
  try {
    for (const move of c.moves) {
      if (stream.done) break;
      const next = honest.reply(last);
      if (!next && move.kind !== 'arbitrary' && move.kind !== 'burst' && move.kind !== 'frame') break;
      const inSync = await send(stream, move, next ?? {}, { honest, target, fixture, opts });
      framesInSync &&= inSync;
      if (!framesInSync) continue;
      const answer = await nextAnswer(stream, opts.answerTimeoutMs);
      if (answer === 'timeout') {
        seen.stalled = `no answer within ${opts.answerTimeoutMs} ms after move ${describeMove(move)}`;
        break;
      }
      if (answer.kind === 'end') break;
      last = answer.message;
      seen.received.push(kindOf(answer.message));
    }
    if (!stream.done && !seen.stalled) {
      if (c.ending === 'half-close') stream.end();
      else if (c.ending === 'cancel') stream.cancel();
      else opts.connections.drop(conn);
    }
    if (c.ending === 'half-close' || stream.done) {
      const status = await withTimeout(stream.ended, opts.answerTimeoutMs);
      if (status === 'timeout') seen.stalled ??= `no status within ${opts.answerTimeoutMs} ms after the client half-closed`;
      else if (!(c.ending !== 'half-close' && status.code === GrpcStatus.UNAVAILABLE && status.details.startsWith(NO_STATUS))) seen.status = status;
    }
    // Answers that came after the last move still count.
    return { ...seen, received: [...seen.received, ...drained(stream)] };
  } finally {
    // A stream the case left open (it stalled) must not outlive the case.
    if (!stream.done) stream.cancel();
  }
}

function fixtureFor(target: FuzzTarget, token: number | string): TokenFixture {
  if (typeof token === 'string') return { name: token, role: 'Bot', keys: [] };
  return target.tokens[token % target.tokens.length] as TokenFixture;
}

/** Attacks whose bytes may not complete a frame, or that the server may read only in part. */
const WITHOUT_ANSWER: FrameAttack['kind'][] = ['raw', 'short-frame', 'partial-header', 'oversized-declared'];

interface SendContext {
  honest: HonestClient;
  target: FuzzTarget;
  fixture: TokenFixture;
  opts: DriverOptions;
}

/** Sends what the move says; false when what it sent may leave the server waiting for the rest of a frame. */
async function send(stream: RawJoinStream, move: Move, next: JoinRequest, { honest, target, fixture, opts }: SendContext): Promise<boolean> {
  switch (move.kind) {
    case 'honest':
      stream.send(next);
      return true;
    case 'mutated':
      stream.send(applyMutation(next, move.mutation, honest.lastSigner));
      return true;
    case 'arbitrary':
      stream.send(move.message);
      return true;
    case 'burst':
      for (const m of move.messages) stream.send(m);
      return true;
    case 'minted-join-state': {
      if (next.bound_keypair_init) {
        const request = move.request.bot_instance_id === '$bound' ? { ...move.request, bot_instance_id: boundInstanceOf(fixture) } : move.request;
        const minted = await control(target.server, 'POST', 'join-states', request);
        const text = minted.status === 200 ? String(minted.body?.join_state ?? '') : '';
        next.bound_keypair_init.previous_join_state = Buffer.from(text);
      }
      stream.send(next);
      return true;
    }
    case 'frame':
      stream.write(attackBytes(move.attack, encodeJoinRequest(next), opts.maxMessageBytes));
      // Bytes that may not complete a frame leave the server waiting for the rest: only the ending can answer them.
      return !WITHOUT_ANSWER.includes(move.attack.kind);
  }
}

/** The bot instance a fixture's join state names, so a minted join state can name it too. */
function boundInstanceOf(fixture: TokenFixture): string {
  const payload = fixture.joinState?.toString('utf8').split('.')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { bot_instance_id?: unknown };
    return typeof claims.bot_instance_id === 'string' ? claims.bot_instance_id : '';
  } catch {
    return '';
  }
}

async function nextAnswer(stream: RawJoinStream, timeoutMs: number) {
  try {
    return await stream.next(timeoutMs);
  } catch {
    return 'timeout' as const;
  }
}

function drained(stream: RawJoinStream): string[] {
  const out: string[] = [];
  for (let e = stream.poll(); e; e = stream.poll()) if (e.kind === 'message') out.push(kindOf(e.message));
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function kindOf(m: JoinResponse): string {
  if (m.init) return 'init';
  if (m.challenge?.bound_keypair_challenge) return 'challenge';
  if (m.challenge?.bound_keypair_rotation_request) return 'rotation-request';
  if (m.result) return 'result';
  return 'other';
}

function describeMove(move: Move): string {
  return move.kind === 'frame' ? `frame:${move.attack.kind}` : move.kind === 'mutated' ? `mutated:${move.mutation.op}` : move.kind;
}
