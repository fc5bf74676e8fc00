// Receiving the message a step expects, with Teleport's error texts for
// everything else: a different message type, a client that gives up, or a
// client that closes its side of the stream early.
import type { JoinRequest } from '../../protocol/messages.js';
import { describeRequest } from '../../protocol/messages.js';
import { badParameter, TraceError } from '../../protocol/errors.js';
import type { JoinStream } from './join-stream.js';
import { StreamClosedError } from './join-stream.js';

export type Expected =
  | 'client_init'
  | 'bound_keypair_init'
  | 'bound_keypair_challenge_solution'
  | 'bound_keypair_rotation_response';

const goTypeNames: Record<Expected, string> = {
  client_init: '*messages.ClientInit',
  bound_keypair_init: '*messages.BoundKeypairInit',
  bound_keypair_challenge_solution: '*messages.BoundKeypairChallengeSolution',
  bound_keypair_rotation_response: '*messages.BoundKeypairRotationResponse',
};

const givingUpReasons: Record<string, string> = {
  REASON_UNSPECIFIED: 'reason unspecified',
  REASON_UNSUPPORTED_JOIN_METHOD: 'unsupported join method',
  REASON_UNSUPPORTED_MESSAGE_TYPE: 'unsupported message type',
  REASON_CHALLENGE_SOLUTION_FAILED: 'challenge solution failed',
};

export async function receive(stream: JoinStream, expected: Expected): Promise<JoinRequest> {
  let req: JoinRequest;
  try {
    req = await stream.recv();
  } catch (err) {
    if (err instanceof StreamClosedError) {
      throw badParameter(`expected client to send message of type ${goTypeNames[expected]}, got end of stream (${err.message})`);
    }
    throw err;
  }
  if (kindOf(req) === expected) return req;
  if (req.payload === 'giving_up') {
    const reason = givingUpReasons[req.giving_up?.reason ?? 'REASON_UNSPECIFIED'] ?? 'unhandled reason';
    const msg = sanitise(req.giving_up?.msg ?? '');
    // Teleport's ClientGaveUpError carries no trace kind, so it reaches the client as UNKNOWN.
    throw new TraceError('Internal', `client gave up on join attempt: ${reason}${msg ? `: ${msg}` : ''}`);
  }
  throw badParameter(`expected client to send message of type ${goTypeNames[expected]}, got ${describeRequest(req)}`);
}

function kindOf(req: JoinRequest): string | undefined {
  if (req.payload === 'solution') return req.solution?.payload;
  return req.payload;
}

/** Client-supplied text ends up in errors and logs: keep it short and printable. */
export function sanitise(text: string, max = 256): string {
  const printable = Array.from(text, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f ? ' ' : c;
  }).join('');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
