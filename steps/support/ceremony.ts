// The bot's side of the bound keypair ceremony over a real join stream.
// By default it behaves like an honest client; every decision point can be
// replaced, which is how scenarios play adversaries: tamper with a claim,
// sign with another key or algorithm, answer late, replay, give up.
import assert from 'node:assert/strict';
import { CompactSign } from 'jose';
import type { BotResult, BoundKeypairChallenge, BoundKeypairRotationRequest, ClientParams, HostResult, JoinRequest, ServerInit } from '../../reference/protocol/messages.js';
import { encodeSshWirePublicKey } from '../../reference/crypto/index.js';
import type { ClientIdentity, JoinTarget, StreamEnd, WireRecord } from './join-connection.js';
import { JoinConnection } from './join-connection.js';
import type { KeyHolder } from './keys.js';
import { findKey, newKey } from './keys.js';

export interface SignOptions {
  key: KeyHolder;
  /** Header overrides, e.g. { alg: 'none' }. */
  header?: Record<string, unknown>;
}

export interface ChallengeContext {
  index: number;
  challenge: BoundKeypairChallenge;
  document: string;
  /** The key the client holds for the challenged public key, if any. */
  key: KeyHolder | undefined;
  sign(payload: string | Buffer, options: SignOptions): Promise<string>;
}

/** Returns the solution bytes to send, or 'give-up' to abandon the join. */
export type Responder = (ctx: ChallengeContext) => Promise<string | Buffer | 'give-up'>;

export interface JoinPlan {
  tokenName: string;
  role?: string;
  joinMethod?: string;
  secret?: string;
  joinState?: Buffer;
  /** Keys the client may sign with, looked up by the key the server names. */
  keys: KeyHolder[];
  /** A certificate from an earlier join: the join becomes a renewal. */
  identity?: ClientIdentity;
  /** Key for a rotation/registration request; default: a fresh key of the kind the suite implies. */
  onRotationRequest?: (request: BoundKeypairRotationRequest) => KeyHolder | 'give-up';
  respond?: Responder;
  /** Runs after a challenge arrives and before the answer is sent. */
  beforeAnswer?: (index: number) => Promise<void>;
  /** Subject key for the issued certificates. */
  subjectKey?: KeyHolder;
  /** For role Instance: the agent's host name (HostParams.host_name). */
  hostName?: string;
  expires?: Date;
  /** Replace the BoundKeypairInit message entirely. */
  boundKeypairInit?: JoinRequest;
}

export interface JoinOutcome {
  ok: boolean;
  end: StreamEnd;
  serverInit?: ServerInit;
  challenges: BoundKeypairChallenge[];
  rotationRequests: BoundKeypairRotationRequest[];
  /** Keys the client offered in rotation responses, in order. */
  offeredKeys: KeyHolder[];
  /** A bot's BotResult, or an agent's HostResult (same certificates and bound keypair result). */
  result?: BotResult | HostResult;
  /** The host ID an agent was given. */
  hostId?: string;
  /** Why the client stopped on its own when it did not mean to (no key for the challenge, an unexpected message). */
  clientError?: string;
  /** Why the client deliberately gave up, when a scenario told it to. */
  gaveUp?: string;
  wire: WireRecord[];
}

export const honestResponder: Responder = async (ctx) => {
  if (!ctx.key) return 'give-up';
  return ctx.sign(ctx.document, { key: ctx.key });
};

/** An adversary's answer: whatever key the server names, a valid signature by `key`. */
export function signingWith(key: KeyHolder): Responder {
  return (ctx) => ctx.sign(ctx.document, { key });
}

/**
 * The server refused the join: no result, with an error status. A refusal
 * proves nothing if the suite's own client walked away first.
 */
export function assertServerRefused(o: JoinOutcome, status: string, texts: string[], what = 'the join'): void {
  assert.ok(!o.ok, `expected ${what} to be refused, but it succeeded`);
  assert.equal(o.clientError, undefined, `the client stopped on its own (${o.clientError}); the server's refusal was not tested`);
  assert.equal(o.result, undefined, `a refused join must not return a result`);
  assert.equal(o.end.codeName, status, `status (details: ${o.end.details})`);
  for (const text of texts) assert.ok(o.end.details.includes(text), `the error "${o.end.details}" should contain "${text}"`);
}

export async function signChallenge(payload: string | Buffer, { key, header }: SignOptions): Promise<string> {
  const protectedHeader = { alg: key.jwsAlgorithm, typ: 'JWT', ...(header ?? {}) };
  return new CompactSign(typeof payload === 'string' ? Buffer.from(payload) : payload)
    .setProtectedHeader(protectedHeader as { alg: string })
    .sign(key.privateKey);
}

export function suiteKeyAlgorithm(suite: string | undefined): KeyHolder['algorithm'] {
  return suite === 'fips-v1' ? 'ecdsa-p256' : 'ed25519';
}

export async function runJoin(target: JoinTarget, plan: JoinPlan): Promise<JoinOutcome> {
  const conn = new JoinConnection(target, plan.identity);
  const outcome: Omit<JoinOutcome, 'ok' | 'end'> = { challenges: [], rotationRequests: [], offeredKeys: [], wire: conn.wire };
  const respond = plan.respond ?? honestResponder;
  const subject = plan.subjectKey ?? newKey('ecdsa-p256');
  try {
    conn.send({
      client_init: {
        token_name: plan.tokenName,
        system_role: plan.role ?? 'Bot',
        ...(plan.joinMethod !== undefined ? { join_method: plan.joinMethod } : {}),
      },
    });
    while (true) {
      const event = await conn.next();
      if (event.kind === 'end') return finish(event.end);
      const msg = event.message;
      if (msg.init) {
        outcome.serverInit = msg.init;
        conn.send(plan.boundKeypairInit ?? {
          bound_keypair_init: {
            client_params: clientParams(plan, subject),
            ...(plan.secret !== undefined ? { initial_join_secret: plan.secret } : {}),
            ...(plan.joinState ? { previous_join_state: plan.joinState } : {}),
          },
        });
      } else if (msg.challenge?.bound_keypair_challenge) {
        const challenge = msg.challenge.bound_keypair_challenge;
        const index = outcome.challenges.push(challenge) - 1;
        const keyText = (challenge.public_key ?? Buffer.alloc(0)).toString('utf8');
        const key = findKey([...outcome.offeredKeys, ...plan.keys], keyText);
        await plan.beforeAnswer?.(index);
        const answer = await respond({ index, challenge, document: challenge.challenge ?? '', key, sign: signChallenge });
        if (answer === 'give-up') {
          const reason = key ? 'the client chose not to answer the challenge' : `no matching key found for ${keyText}`;
          if (key) outcome.gaveUp = reason;
          else outcome.clientError = reason;
          conn.send({ giving_up: { reason: 'REASON_CHALLENGE_SOLUTION_FAILED', msg: reason } });
          conn.closeSend();
          return finish(await conn.end());
        }
        conn.send({ solution: { bound_keypair_challenge_solution: { solution: Buffer.from(answer) } } });
      } else if (msg.challenge?.bound_keypair_rotation_request) {
        const request = msg.challenge.bound_keypair_rotation_request;
        outcome.rotationRequests.push(request);
        const next = plan.onRotationRequest ? plan.onRotationRequest(request) : newKey(suiteKeyAlgorithm(request.signature_algorithm_suite));
        if (next === 'give-up') {
          outcome.gaveUp = 'requesting new keypair: the client could not produce a new key';
          conn.send({ giving_up: { reason: 'REASON_CHALLENGE_SOLUTION_FAILED', msg: outcome.gaveUp } });
          conn.closeSend();
          return finish(await conn.end());
        }
        outcome.offeredKeys.unshift(next);
        conn.send({ solution: { bound_keypair_rotation_response: { public_key: Buffer.from(next.authorizedKey) } } });
      } else if (msg.result?.bot_result || msg.result?.host_result) {
        outcome.result = msg.result.bot_result ?? msg.result.host_result;
        if (msg.result.host_result) outcome.hostId = msg.result.host_result.host_id ?? '';
        conn.closeSend();
      } else {
        outcome.clientError = `server sent unexpected message type ${JSON.stringify(Object.keys(msg))}`;
        conn.cancel();
        return finish(await conn.end());
      }
    }
  } finally {
    conn.close();
  }

  function finish(end: StreamEnd): JoinOutcome {
    return { ...outcome, end, ok: end.code === 0 && outcome.result !== undefined };
  }
}

/** Bots send BotParams; agents (role Instance) send HostParams. */
function clientParams(plan: JoinPlan, subject: KeyHolder): ClientParams {
  const public_keys = { public_tls_key: subject.publicKey.export({ format: 'der', type: 'spki' }), public_ssh_key: encodeSshWirePublicKey(subject.publicKey) };
  if (plan.role === 'Instance') return { host_params: { public_keys, host_name: plan.hostName ?? 'agent.example' } };
  return {
    bot_params: {
      public_keys,
      ...(plan.expires ? { expires: { seconds: Math.floor(plan.expires.getTime() / 1000), nanos: 0 } } : {}),
    },
  };
}
