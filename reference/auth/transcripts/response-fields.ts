// What a transcript keeps of each server message: the suite announced, the
// challenged key and the challenge's claims, the suite of a rotation
// request, and a result's certificates as summaries and its join state as
// size and claims.
import { createHash } from 'node:crypto';
import type { BoundKeypairResult, Certificates, JoinResponse } from '../../protocol/messages.js';
import { defined } from '../validation/fields.js';
import { text } from './bounded.js';
import { authorizedKeyText, certificateSummary, challengeClaims, joinStateSummary, sshCertificateSummary, sshWireKey } from './summaries.js';

export function responseFields(resp: JoinResponse): Record<string, unknown> {
  if (resp.init) return defined({ join_method: resp.init.join_method, signature_algorithm_suite: resp.init.signature_algorithm_suite });
  const challenge = resp.challenge;
  if (challenge?.bound_keypair_challenge) {
    const c = challenge.bound_keypair_challenge;
    return defined({
      public_key: authorizedKeyText(c.public_key),
      challenge: challengeClaims(c.challenge),
      challenge_sha256: c.challenge === undefined ? undefined : createHash('sha256').update(c.challenge, 'utf8').digest('hex'),
    });
  }
  if (challenge?.bound_keypair_rotation_request) {
    return defined({ signature_algorithm_suite: challenge.bound_keypair_rotation_request.signature_algorithm_suite });
  }
  if (resp.result?.bot_result) {
    const r = resp.result.bot_result;
    return defined({ certificates: certificates(r.certificates), bound_keypair_result: boundKeypairResult(r.bound_keypair_result) });
  }
  if (resp.result?.host_result) {
    const r = resp.result.host_result;
    return defined({
      host_id: text(r.host_id),
      certificates: certificates(r.certificates),
      bound_keypair_result: boundKeypairResult(r.bound_keypair_result),
    });
  }
  return {};
}

function certificates(c: Certificates | undefined): Record<string, unknown> | undefined {
  if (!c) return undefined;
  return defined({
    tls_cert: c.tls_cert ? certificateSummary(c.tls_cert) : undefined,
    tls_ca_certs: c.tls_ca_certs?.map(certificateSummary),
    ssh_cert: c.ssh_cert ? sshCertificateSummary(c.ssh_cert) : undefined,
    ssh_ca_keys: c.ssh_ca_keys?.map((k) => sshWireKey(k)),
  });
}

function boundKeypairResult(r: BoundKeypairResult | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  return defined({ ...joinStateSummary(r.join_state), public_key: authorizedKeyText(r.public_key) });
}
