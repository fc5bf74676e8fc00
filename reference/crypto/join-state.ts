// The join state document (server behaviour §7): a JWT signed by the
// cluster's bound_keypair CA, returned on every successful join and replayed
// by the client on the next one. It records how many recoveries the token
// has seen and which bot instance / host it is bound to, so a second holder
// of the key with a stale document is detected (and the token locked).
//
// Only ES256 and EdDSA are accepted, because those are the only algorithms
// the bound_keypair CA ever uses (P-256 or Ed25519 by suite), and the header
// `alg` must also equal the algorithm recorded for the trusted key it names.
import type { KeyObject } from 'node:crypto';
import { accessDenied, badParameter, wrap } from '../protocol/errors.js';
import { algorithmForKey } from './jws-algorithms.js';
import { isJsonObject, parseCompactJws, refuseForbiddenHeaders, signCompactJws, verifyCompactJwsSignature } from './jws.js';
import { decodeClaims, numericDate, validateRegisteredClaims } from './jwt-claims.js';

export type JoinStateAlgorithm = 'ES256' | 'EdDSA';

export const JOIN_STATE_ALGORITHMS: readonly JoinStateAlgorithm[] = ['ES256', 'EdDSA'];
export const JOIN_STATE_NOT_BEFORE_SKEW_SECONDS = 10;

export interface JoinStateClaims {
  iss: string;
  sub: string;
  aud: string;
  nbf: number;
  iat: number;
  bot_instance_id?: string;
  host_id?: string;
  recovery_sequence: number;
  recovery_limit: number;
  recovery_mode: string;
}

export interface JoinStateSigner {
  privateKey: KeyObject;
  kid: string;
  alg: JoinStateAlgorithm;
}

export interface TrustedJoinStateKey {
  kid: string;
  publicKey: KeyObject;
  alg: string;
}

function isJoinStateAlgorithm(value: unknown): value is JoinStateAlgorithm {
  return value === 'ES256' || value === 'EdDSA';
}

function requireCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw badParameter(`issuing join state: ${name} must be a non-negative integer, got ${value}`);
}

export function issueJoinState(params: {
  signer: JoinStateSigner;
  clusterName: string;
  subject: string;
  botInstanceId?: string;
  hostId?: string;
  recoverySequence: number;
  recoveryLimit: number;
  recoveryMode: string;
  now: Date;
}): string {
  const { signer, clusterName, subject } = params;
  if (!isJoinStateAlgorithm(signer.alg)) throw badParameter(`issuing join state: signing algorithm "${String(signer.alg)}" is not allowed (ES256 or EdDSA)`);
  if (algorithmForKey(signer.privateKey) !== signer.alg) {
    throw badParameter(`issuing join state: the signing key does not sign with ${signer.alg}`);
  }
  if (signer.kid === '') throw badParameter('issuing join state: key ID is required');
  if (clusterName === '') throw badParameter('issuing join state: cluster name is required');
  if (subject === '') throw badParameter('issuing join state: subject (bot name or host ID) is required');
  requireCount(params.recoverySequence, 'recovery sequence');
  requireCount(params.recoveryLimit, 'recovery limit');
  const iat = numericDate(params.now);
  // Key order as go-jose writes the claims struct; absent IDs are omitted
  // (Go's omitempty), and there is deliberately no exp: the document never expires.
  const claims: JoinStateClaims = {
    iss: clusterName,
    sub: subject,
    aud: clusterName,
    nbf: iat - JOIN_STATE_NOT_BEFORE_SKEW_SECONDS,
    iat,
    ...(params.botInstanceId ? { bot_instance_id: params.botInstanceId } : {}),
    ...(params.hostId ? { host_id: params.hostId } : {}),
    recovery_sequence: params.recoverySequence,
    recovery_limit: params.recoveryLimit,
    recovery_mode: params.recoveryMode,
  };
  // go-jose writes header keys in alphabetical order (alg, kid, typ).
  return signCompactJws(JSON.stringify(claims), signer.privateKey, { alg: signer.alg, kid: signer.kid, typ: 'JWT' });
}

export interface VerifiedJoinState {
  botInstanceId?: string;
  hostId?: string;
  claims: JoinStateClaims;
}

function optionalId(raw: Record<string, unknown>, name: string): string {
  const v = raw[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw badParameter(`parsing serialized join state: claim "${name}" must be a string`);
  return v;
}

function count(raw: Record<string, unknown>, name: string): number {
  const v = raw[name];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw badParameter(`parsing serialized join state: claim "${name}" must be a non-negative integer`);
  }
  return v;
}

/**
 * Verifies a join state (§7.4). Rejects with:
 * AccessDenied `previous join state is required but was not provided` when empty;
 * BadParameter `parsing serialized join state` / `invalid JWT header` /
 *   `required key ID is missing from JWT header` for malformed documents;
 * AccessDenied `join state could not be verified` for an unknown kid or a bad signature;
 * `validating join state claims: go-jose/…` for iss/aud/sub/time failures;
 * AccessDenied listing every mismatch (`recovery counter mismatch`,
 *   `bot instance mismatch`, `host mismatch`) in one message.
 * Synchronous on purpose (see jws.ts).
 */
export function verifyJoinState(params: {
  joinState: Buffer | string;
  trustedKeys: TrustedJoinStateKey[];
  clusterName: string;
  subject: string;
  now: Date;
  expected: { recoverySequence: number; botInstanceId?: string; hostId?: string };
}): VerifiedJoinState {
  const { joinState, clusterName, subject, now, expected } = params;
  if (joinState.length === 0) throw accessDenied('previous join state is required but was not provided');

  const parts = parseCompactJws(joinState, 'parsing serialized join state');
  if (!isJsonObject(parts.header)) throw badParameter('invalid JWT header');
  const header = parts.header;
  refuseForbiddenHeaders(header, 'parsing serialized join state');
  const alg = header['alg'];
  if (!isJoinStateAlgorithm(alg)) {
    throw badParameter(`parsing serialized join state: signature algorithm ${typeof alg === 'string' ? `"${alg}"` : '(missing)'} is not allowed (ES256 or EdDSA)`);
  }
  const kid = header['kid'];
  if (kid === undefined || kid === null || kid === '') throw badParameter('required key ID is missing from JWT header');
  if (typeof kid !== 'string') throw badParameter('invalid JWT header: kid must be a string');

  const candidates = params.trustedKeys.filter((k) => k.kid === kid && k.alg === alg && isJoinStateAlgorithm(k.alg));
  const verified = candidates.some((candidate) => verifyCompactJwsSignature(parts, candidate.publicKey, alg));
  if (!verified) throw accessDenied('join state could not be verified', candidates.length === 0 ? `no trusted key with kid ${kid} and alg ${alg}` : 'bad signature');

  const { registered, raw } = decodeClaims(parts.payload, 'parsing serialized join state');
  try {
    validateRegisteredClaims(registered, { issuer: clusterName, audience: clusterName, subject, now });
  } catch (err) {
    throw wrap(err, 'validating join state claims');
  }

  const botInstanceId = optionalId(raw, 'bot_instance_id');
  const hostId = optionalId(raw, 'host_id');
  const recoverySequence = count(raw, 'recovery_sequence');
  const recoveryLimit = count(raw, 'recovery_limit');
  const recoveryMode = optionalId(raw, 'recovery_mode');

  // Every mismatch is reported together, as Teleport aggregates them.
  // recovery_limit and recovery_mode are informational and never compared.
  const mismatches: string[] = [];
  if (recoverySequence !== expected.recoverySequence) mismatches.push('recovery counter mismatch');
  if (botInstanceId !== (expected.botInstanceId ?? '')) mismatches.push('bot instance mismatch');
  if (hostId !== (expected.hostId ?? '')) mismatches.push('host mismatch');
  if (mismatches.length > 0) throw accessDenied(mismatches.join(', '));

  const claims: JoinStateClaims = {
    iss: registered.iss ?? '',
    sub: registered.sub ?? '',
    aud: registered.aud?.[0] ?? '',
    nbf: registered.nbf ?? 0,
    iat: registered.iat ?? 0,
    ...(botInstanceId ? { bot_instance_id: botInstanceId } : {}),
    ...(hostId ? { host_id: hostId } : {}),
    recovery_sequence: recoverySequence,
    recovery_limit: recoveryLimit,
    recovery_mode: recoveryMode,
  };
  return {
    ...(botInstanceId ? { botInstanceId } : {}),
    ...(hostId ? { hostId } : {}),
    claims,
  };
}
