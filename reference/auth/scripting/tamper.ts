// The `tamper` fault action: the server sends a changed message instead of
// the one it built, so the suite can test how a bot under test handles a
// server that answers wrongly (client notes §3.3 step 4, §3.7 C-RS-1/2) —
// states the reference server never produces by itself. It acts only
// before a server message; what the client got is what the transcript
// shows, because the recorder sits next to the transport.
import type { JoinResponse } from '../../protocol/messages.js';
import { encodeAuthorizedKey, generateKeyPair } from '../../crypto/index.js';

export const TAMPER_CHANGES = ['strip_bound_keypair_result', 'foreign_result_public_key', 'unexpected_message'] as const;
export type TamperChange = (typeof TAMPER_CHANGES)[number];

/** The server messages each change applies to (the fault's `before_server`). */
export const TAMPERABLE: Record<TamperChange, readonly string[]> = {
  strip_bound_keypair_result: ['*messages.BotResult', '*messages.HostResult'],
  foreign_result_public_key: ['*messages.BotResult', '*messages.HostResult'],
  unexpected_message: ['*messages.BoundKeypairChallenge', '*messages.BoundKeypairRotationRequest', '*messages.BotResult', '*messages.HostResult'],
};

/** The message to send instead of `resp`; `resp` itself is left untouched. */
export function tamper(resp: JoinResponse, change: TamperChange): JoinResponse {
  switch (change) {
    case 'unexpected_message':
      // A message of the protocol, but not one a client may receive after BoundKeypairInit.
      return { payload: 'init', init: { join_method: 'bound_keypair', signature_algorithm_suite: 'balanced-v1' } };
    case 'strip_bound_keypair_result':
      return withResult(resp, () => undefined);
    case 'foreign_result_public_key':
      return withResult(resp, (r) => ({ ...r, public_key: Buffer.from(encodeAuthorizedKey(generateKeyPair('ed25519').publicKey)) }));
  }
}

type BkResult = NonNullable<NonNullable<NonNullable<JoinResponse['result']>['bot_result']>['bound_keypair_result']>;

function withResult(resp: JoinResponse, change: (r: BkResult) => BkResult | undefined): JoinResponse {
  const result = resp.result;
  if (!result) return resp;
  const bot = result.bot_result;
  const host = result.host_result;
  if (bot) return { ...resp, result: { ...result, bot_result: { ...bot, bound_keypair_result: bot.bound_keypair_result && change(bot.bound_keypair_result) } } };
  if (host) return { ...resp, result: { ...result, host_result: { ...host, bound_keypair_result: host.bound_keypair_result && change(host.bound_keypair_result) } } };
  return resp;
}
