// What a transcript keeps of each client message. Secrets never enter it:
// the registration secret is replaced by "<redacted>" (with a flag saying
// whether one was sent), a challenge solution by its size, protected
// header and payload digest, a previous join state by its size and claims.
import { createHash } from 'node:crypto';
import type { ClientParams, JoinRequest, PublicKeys } from '../../protocol/messages.js';
import { parseCompactJws } from '../../crypto/index.js';
import { defined } from '../validation/fields.js';
import { bounded, sized, text } from './bounded.js';
import { joinStateSummary, pkixKey, sshWireKey, timestamp, authorizedKeyText } from './summaries.js';

export const REDACTED = '<redacted>';

export function requestFields(req: JoinRequest): Record<string, unknown> {
  if (req.client_init) {
    const c = req.client_init;
    return defined({
      join_method: text(c.join_method),
      token_name: text(c.token_name),
      system_role: text(c.system_role),
      forwarded_by_proxy: c.forwarded_by_proxy,
      proxy_supplied_parameters: c.proxy_supplied_parameters ? bounded(c.proxy_supplied_parameters) : undefined,
    });
  }
  if (req.bound_keypair_init) {
    const b = req.bound_keypair_init;
    const secretPresent = (b.initial_join_secret ?? '') !== '';
    return defined({
      client_params: clientParams(b.client_params),
      initial_join_secret: secretPresent ? REDACTED : undefined,
      initial_join_secret_present: secretPresent,
      ...(b.previous_join_state && b.previous_join_state.length > 0
        ? renamed(joinStateSummary(b.previous_join_state))
        : { previous_join_state_present: false }),
    });
  }
  if (req.solution?.bound_keypair_challenge_solution) return solutionSummary(req.solution.bound_keypair_challenge_solution.solution);
  if (req.solution?.bound_keypair_rotation_response) {
    return defined({ public_key: authorizedKeyText(req.solution.bound_keypair_rotation_response.public_key) });
  }
  if (req.giving_up) return defined({ reason: req.giving_up.reason, msg: text(req.giving_up.msg) });
  // Other join methods' messages: the type name in the transcript says enough.
  return {};
}

function renamed(s: { join_state: string; join_state_sha256?: string; join_state_claims?: unknown }): Record<string, unknown> {
  return defined({ previous_join_state: s.join_state, previous_join_state_sha256: s.join_state_sha256, previous_join_state_claims: s.join_state_claims });
}

function clientParams(p: ClientParams | undefined): Record<string, unknown> | undefined {
  if (!p) return undefined;
  if (p.bot_params) {
    return { bot_params: defined({ public_keys: publicKeys(p.bot_params.public_keys), expires: timestamp(p.bot_params.expires) }) };
  }
  if (p.host_params) {
    const h = p.host_params;
    return {
      host_params: defined({
        public_keys: publicKeys(h.public_keys),
        host_name: text(h.host_name),
        additional_principals: h.additional_principals ? bounded(h.additional_principals) : undefined,
        dns_names: h.dns_names ? bounded(h.dns_names) : undefined,
      }),
    };
  }
  return {};
}

function publicKeys(k: PublicKeys | undefined): Record<string, unknown> | undefined {
  if (!k) return undefined;
  return defined({ public_tls_key: pkixKey(k.public_tls_key), public_ssh_key: sshWireKey(k.public_ssh_key) });
}

/** A signed answer is not replayable, but it is kept short: its size and protected header. */
function solutionSummary(solution: Buffer | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { solution: sized('challenge solution', solution) };
  if (!solution || solution.length === 0) return out;
  try {
    const jws = parseCompactJws(solution, 'challenge solution');
    out.solution_header = bounded(jws.header);
    // The signed payload's digest (never the signature): shows whether the client signed the challenge byte for byte.
    out.payload_sha256 = createHash('sha256').update(jws.payload).digest('hex');
  } catch {
    // Not a compact JWS: the size is all there is to say.
  }
  return out;
}
