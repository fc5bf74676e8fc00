// The bound keypair challenge (server behaviour §2.4–2.6, client §3.5).
//
// The server sends a JSON claims document; the client signs those exact bytes
// as the payload of a compact JWS; the server verifies the signature with the
// challenged key, validates the standard claims with one minute of leeway and
// requires iat/exp/nbf/nonce to equal what it issued.
//
// What is and is not compared: the server decodes the signed payload into
// claims and compares claim values, not bytes. A payload that re-serialises
// the same claims (other whitespace or key order) therefore still verifies,
// exactly as in Teleport; any changed claim value fails. Unknown extra claims
// are ignored, as go-jose ignores them.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import { keyId } from './key-id.js';
import { algorithmForKey } from './jws-algorithms.js';
import type { JwsAlgorithm } from './jws-algorithms.js';
import { isJsonObject, parseCompactJws, refuseForbiddenHeaders, signCompactJws, verifyCompactJwsSignature } from './jws.js';
import { decodeClaims, numericDate, validateRegisteredClaims } from './jwt-claims.js';
import { keyAlgorithmOf, publicKeyOf } from './keys.js';
import { mutantActive } from '../mutants/switch.js';

/** `exp` is this long after `iat`. */
export const CHALLENGE_VALIDITY_SECONDS = 60;
/** `nbf` is this long before `iat`, for client clock skew. */
export const CHALLENGE_NOT_BEFORE_SKEW_SECONDS = 10;
export const CHALLENGE_NONCE_BYTES = 32;

export interface ChallengeClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  nonce: string;
}

export interface IssuedChallenge {
  /** The exact JSON sent to the client as `BoundKeypairChallenge.challenge`. */
  document: string;
  claims: ChallengeClaims;
  /** The challenged public key. */
  publicKey: KeyObject;
}

const NONCE = /^[0-9a-f]{64}$/;

export function issueChallenge(params: { clusterName: string; publicKey: KeyObject; now: Date; nonce?: string }): IssuedChallenge {
  const { clusterName, now } = params;
  if (typeof clusterName !== 'string' || clusterName === '') throw badParameter('generating a challenge document: cluster name is required');
  const publicKey = publicKeyOf(params.publicKey);
  keyAlgorithmOf(publicKey);
  const nonce = params.nonce ?? randomBytes(CHALLENGE_NONCE_BYTES).toString('hex');
  if (!NONCE.test(nonce)) throw badParameter('generating a challenge document: nonce must be 64 lowercase hex characters');
  const iat = numericDate(now);
  // Key order matters: this is the byte-exact document go-jose produces
  // (registered claims in struct order, then the nonce; a one-element
  // audience serialises as a plain string).
  const claims: ChallengeClaims = {
    iss: clusterName,
    sub: keyId(publicKey),
    aud: clusterName,
    exp: iat + CHALLENGE_VALIDITY_SECONDS,
    nbf: iat - CHALLENGE_NOT_BEFORE_SKEW_SECONDS,
    iat,
    nonce,
  };
  return { document: JSON.stringify(claims), claims, publicKey };
}

/**
 * Client side (tbot C-CH-2): sign the exact challenge bytes as a compact JWS
 * with header `{"alg":…,"typ":"JWT"}` and no `kid`.
 */
export function signChallenge(document: string | Buffer, privateKey: KeyObject): string {
  return signCompactJws(document, privateKey, { alg: algorithmForKey(privateKey), typ: 'JWT' });
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; comparing y with itself keeps the
  // work the same when lengths differ, and the result is still false.
  if (x.length !== y.length) {
    timingSafeEqual(y, y);
    return false;
  }
  return timingSafeEqual(x, y);
}

/**
 * Server side (§2.6). Returns when the answer is valid; throws a
 * BadParameter TraceError naming the failure otherwise. Callers wrap the
 * error with `validating challenge response`. Synchronous on purpose (see jws.ts).
 */
export function verifyChallengeResponse(params: {
  issued: IssuedChallenge;
  solution: string | Buffer;
  clusterName: string;
  now: Date;
}): void {
  const { issued, clusterName, now } = params;
  const context = 'parsing signed response';

  // (1) structure, (2) algorithm allow-list: only the challenged key's algorithm.
  const parts = parseCompactJws(params.solution, context);
  if (!isJsonObject(parts.header)) throw badParameter(`${context}: JWS header is not a JSON object`);
  const expected: JwsAlgorithm = algorithmForKey(issued.publicKey);
  const alg = parts.header['alg'];
  // Mutant: server-none-alg-accepted lets an unsigned answer skip the algorithm and signature checks.
  const unsignedAccepted = mutantActive('server-none-alg-accepted') && alg === 'none';
  if (alg !== expected && !unsignedAccepted) {
    const named = typeof alg === 'string' ? `"${alg}"` : 'a missing or non-string alg';
    throw badParameter(`${context}: signature algorithm ${named} is not allowed; the challenged key signs with ${expected}`);
  }
  refuseForbiddenHeaders(parts.header, context);

  // (3) signature, pinned to the one allowed algorithm.
  // Mutant: server-signature-not-verified skips this check.
  if (!unsignedAccepted && !mutantActive('server-signature-not-verified') && !verifyCompactJwsSignature(parts, issued.publicKey, expected)) {
    throw badParameter('verifying signed response: signature is not valid for the challenged public key');
  }

  // (4) standard claims with one minute of leeway.
  const { registered, raw } = decodeClaims(parts.payload, context);
  validateRegisteredClaims(registered, {
    issuer: clusterName,
    subject: keyId(issued.publicKey),
    audience: clusterName,
    now,
  });

  // (5) the time claims must be the ones this server issued.
  // Mutant: server-time-claims-not-compared skips this comparison.
  if (!mutantActive('server-time-claims-not-compared') && (registered.iat !== issued.claims.iat || registered.exp !== issued.claims.exp || registered.nbf !== issued.claims.nbf)) {
    throw badParameter('invalid challenge document');
  }

  // (6) the nonce, compared in constant time.
  const nonce = raw['nonce'];
  // Mutant: server-nonce-not-compared skips this comparison.
  if (!mutantActive('server-nonce-not-compared') && (typeof nonce !== 'string' || !constantTimeEqual(nonce, issued.claims.nonce))) {
    throw badParameter('invalid nonce');
  }
}
