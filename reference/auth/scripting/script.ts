// Scripted mode's vocabulary: a script is a seed and a list of faults; a
// fault says on which streams (a token), at which point of the stream (after
// a client message is received, or before a server message is sent, the
// n-th of its type), on how many streams, and what happens there. See
// docs/control-api.md ("Scripted mode") for the contract.
import type { TamperChange } from './tamper.js';

export type FaultAction =
  /** Close the connection carrying the stream abruptly: the client sees UNAVAILABLE. */
  | { kind: 'drop' }
  /** End the stream with this gRPC status. */
  | { kind: 'error'; code: string; message: string }
  /** Wait, then carry on: a fixed time, or a time drawn from the script's seeded PRNG. */
  | { kind: 'delay'; ms: number }
  | { kind: 'delay'; min_ms: number; max_ms: number }
  /** Pause until released through the control API, the client goes away, or the stream deadline. */
  | { kind: 'hold' }
  /** Refuse the stream at once with UNAVAILABLE. */
  | { kind: 'unavailable' }
  /** Send a changed message instead of the server's (tamper.ts); only before a server message. */
  | { kind: 'tamper'; change: TamperChange };

export type FaultPoint =
  /** As soon as the client message of this type has been received, before the server acts on it. */
  | { after_client: string; occurrence: number }
  /** Just before the server sends a message of this type (a result: after the commit). */
  | { before_server: string; occurrence: number };

export interface Fault {
  id: string;
  /** Only streams whose ClientInit names this token. */
  token?: string;
  /** Absent: when the stream opens (with `token`: as soon as its ClientInit is received). */
  when?: FaultPoint;
  /** On how many streams it fires; 0 means every stream. */
  times: number;
  action: FaultAction;
}

export interface Script {
  seed: string;
  faults: Fault[];
}

/** The client messages a fault may follow: Go type names as describeRequest prints them. */
export const CLIENT_MESSAGE_TYPES = [
  '*messages.ClientInit',
  '*messages.BoundKeypairInit',
  '*messages.BoundKeypairChallengeSolution',
  '*messages.BoundKeypairRotationResponse',
  '*messages.GivingUp',
  '*messages.TokenInit',
  '*messages.IAMInit',
  '*messages.EC2Init',
  '*messages.OracleInit',
  '*messages.IAMChallengeSolution',
  '*messages.OracleChallengeSolution',
] as const;

/** The server messages a fault may precede, as describeResponse prints them. */
export const SERVER_MESSAGE_TYPES = [
  '*messages.ServerInit',
  '*messages.BoundKeypairChallenge',
  '*messages.BoundKeypairRotationRequest',
  '*messages.BotResult',
  '*messages.HostResult',
] as const;

export const UNAVAILABLE_MESSAGE = 'join service unavailable (scripted outage)';

export const LIMITS = {
  faults: 64,
  idLength: 64,
  messageLength: 1024,
  seedLength: 128,
  occurrence: 1000,
  times: 1_000_000,
  /** A delay longer than the longest stream deadline could only ever end in a timeout. */
  delayMs: 600_000,
};
