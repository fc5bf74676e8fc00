// Compact JWS handling shared by the challenge answer and the join state.
//
// Parsing is done by hand so that every refusal has a precise message and
// happens before any signature work: size limit, exactly three base64url
// parts in canonical form, a JSON header, and no header that changes how the
// token would be processed (`crit`, `b64`) or that asks the verifier to fetch
// or trust a key from the token itself (`jku`, `jwk`, `x5u`, `x5c`). The
// verifier always brings its own key.
//
// Signing and verification use node:crypto directly and synchronously. jose
// is async-only, and these run inside checks whose callers must not be able
// to forget an `await` (a floating promise would turn a failed verification
// into a silent success); the tests cross-check against jose both ways.
// ES256 signatures are raw r||s (IEEE P1363), not DER, as in JWS and go-jose.
import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import { algorithmForKey } from './jws-algorithms.js';
import type { JwsAlgorithm } from './jws-algorithms.js';
import { MAX_COMPACT_JWS_BYTES } from './limits.js';

export const FORBIDDEN_JWS_HEADERS = ['crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c'] as const;

export interface CompactJwsParts {
  /** The compact serialisation as text. */
  compact: string;
  /** The decoded protected header, not yet checked to be an object. */
  header: unknown;
  /** `<header>.<payload>` exactly as received: the bytes the signature covers. */
  signingInput: Buffer;
  payload: Buffer;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeBase64Url(part: string, name: string, context: string): Buffer {
  if (!BASE64URL.test(part) || part.length % 4 === 1) throw badParameter(`${context}: ${name} is not base64url`);
  const bytes = Buffer.from(part, 'base64url');
  // Refuse non-canonical spellings (stray low bits) so a token has one form.
  if (bytes.toString('base64url') !== part) throw badParameter(`${context}: ${name} is not canonical base64url`);
  return bytes;
}

/** Splits and decodes a compact JWS; errors are prefixed with `context`. */
export function parseCompactJws(input: string | Buffer, context: string): CompactJwsParts {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size === 0) throw badParameter(`${context}: input is empty`);
  if (size > MAX_COMPACT_JWS_BYTES) {
    throw badParameter(`${context}: ${size} bytes is more than the ${MAX_COMPACT_JWS_BYTES}-byte limit`);
  }
  const compact = typeof input === 'string' ? input : input.toString('utf8');
  const parts = compact.split('.');
  if (parts.length !== 3) {
    throw badParameter(`${context}: malformed compact JWS (expected 3 dot-separated parts, got ${parts.length})`);
  }
  const [h = '', p = '', s = ''] = parts;
  // An empty signature is left to the verifier (which refuses it), so that an
  // `alg: none` token is reported by its algorithm, not as malformed.
  if (h === '') throw badParameter(`${context}: malformed compact JWS (empty header)`);
  const headerBytes = decodeBase64Url(h, 'header', context);
  const payload = decodeBase64Url(p, 'payload', context);
  const signature = decodeBase64Url(s, 'signature', context);
  let header: unknown;
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    throw badParameter(`${context}: header is not valid JSON`);
  }
  return { compact, header, signingInput: Buffer.from(`${h}.${p}`), payload, signature };
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws when the header carries a parameter this code refuses to honour. */
export function refuseForbiddenHeaders(header: Record<string, unknown>, context: string): void {
  for (const name of FORBIDDEN_JWS_HEADERS) {
    if (Object.hasOwn(header, name)) throw badParameter(`${context}: JWS header parameter "${name}" is not allowed`);
  }
}

/**
 * Signs `payload` as a compact JWS. The header must name the algorithm the
 * key implies; its key order is kept as given, because the header bytes are
 * part of what is signed and callers may want go-jose's exact order.
 */
export function signCompactJws(payload: string | Buffer, privateKey: KeyObject, header: Record<string, unknown>): string {
  if (privateKey.type !== 'private') throw badParameter('signing JWS: expected a private key');
  const alg = algorithmForKey(privateKey);
  if (header['alg'] !== alg) throw badParameter(`signing JWS: header alg "${String(header['alg'])}" does not match the ${alg} key`);
  const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  const data = Buffer.from(signingInput);
  let signature: Buffer;
  switch (alg) {
    case 'EdDSA':
      signature = sign(null, data, privateKey);
      break;
    case 'ES256':
      signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      break;
    case 'RS256':
      signature = sign('sha256', data, privateKey);
      break;
  }
  return `${signingInput}.${signature.toString('base64url')}`;
}

const ES256_SIGNATURE_BYTES = 64;
const ED25519_SIGNATURE_BYTES = 64;

/**
 * Checks the signature of parsed JWS parts with `publicKey`, for exactly the
 * algorithm `alg`, which must be the key's own algorithm (a mismatch is a
 * failed verification, never a reinterpretation).
 */
export function verifyCompactJwsSignature(parts: CompactJwsParts, publicKey: KeyObject, alg: JwsAlgorithm): boolean {
  let keyAlg: JwsAlgorithm;
  try {
    keyAlg = algorithmForKey(publicKey);
  } catch {
    return false;
  }
  if (keyAlg !== alg) return false;
  const { signingInput, signature } = parts;
  try {
    switch (alg) {
      case 'EdDSA':
        return signature.length === ED25519_SIGNATURE_BYTES && verify(null, signingInput, publicKey, signature);
      case 'ES256':
        return signature.length === ES256_SIGNATURE_BYTES
          && verify('sha256', signingInput, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
      case 'RS256': {
        const modulusBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
        return signature.length === modulusBytes && verify('sha256', signingInput, publicKey, signature);
      }
    }
  } catch {
    return false;
  }
}
