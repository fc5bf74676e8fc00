// Registered JWT claim decoding and validation with go-jose's semantics and
// error texts, because Teleport surfaces go-jose's messages to clients and
// the conformance suite matches them as substrings.
//
// go-jose rules reproduced here (jwt.Claims.ValidateWithLeeway):
// - iss / sub must equal the expected value when one is expected;
// - aud (string or array) must contain the expected audience;
// - not valid yet  when now + leeway < nbf;
// - expired        when now - leeway > exp;
// - issued in the future when now + leeway < iat;
// - a missing time claim is not checked.
// NumericDates are whole seconds: go-jose parses a JSON number and truncates
// it to an integer, and so does this code.
import { badParameter } from '../protocol/errors.js';
import { isJsonObject } from './jws.js';
import { mutantActive } from '../mutants/switch.js';

export const CLAIMS_LEEWAY_MS = 60_000;

export const GO_JOSE_VALIDATION_FAILED = 'go-jose/go-jose/jwt: validation failed, ';
export const ERR_INVALID_ISSUER = `${GO_JOSE_VALIDATION_FAILED}invalid issuer claim (iss)`;
export const ERR_INVALID_SUBJECT = `${GO_JOSE_VALIDATION_FAILED}invalid subject claim (sub)`;
export const ERR_INVALID_AUDIENCE = `${GO_JOSE_VALIDATION_FAILED}invalid audience claim (aud)`;
export const ERR_EXPIRED = `${GO_JOSE_VALIDATION_FAILED}token is expired (exp)`;
export const ERR_NOT_VALID_YET = `${GO_JOSE_VALIDATION_FAILED}token not valid yet (nbf)`;
export const ERR_ISSUED_IN_THE_FUTURE = `${GO_JOSE_VALIDATION_FAILED}token issued in the future (iat)`;

export interface RegisteredClaims {
  iss?: string;
  sub?: string;
  aud?: string[];
  exp?: number;
  nbf?: number;
  iat?: number;
}

export interface DecodedClaims {
  registered: RegisteredClaims;
  /** The whole claims object, for custom claims. */
  raw: Record<string, unknown>;
}

function optionalString(raw: Record<string, unknown>, name: string, context: string): string | undefined {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badParameter(`${context}: claim "${name}" must be a string`);
  return v;
}

function optionalNumericDate(raw: Record<string, unknown>, name: string, context: string): number | undefined {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badParameter(`${context}: claim "${name}" must be a NumericDate (a JSON number)`);
  return Math.trunc(v);
}

/** Parses a JWT payload as a claims object and type-checks the registered claims. */
export function decodeClaims(payload: Buffer, context: string): DecodedClaims {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch {
    throw badParameter(`${context}: payload is not valid JSON`);
  }
  if (!isJsonObject(raw)) throw badParameter(`${context}: payload is not a JSON claims object`);
  const registered: RegisteredClaims = {};
  const iss = optionalString(raw, 'iss', context);
  if (iss !== undefined) registered.iss = iss;
  const sub = optionalString(raw, 'sub', context);
  if (sub !== undefined) registered.sub = sub;
  const aud = raw['aud'];
  if (typeof aud === 'string') registered.aud = [aud];
  else if (Array.isArray(aud) && aud.every((a): a is string => typeof a === 'string')) registered.aud = aud;
  else if (aud !== undefined && aud !== null) throw badParameter(`${context}: claim "aud" must be a string or an array of strings`);
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    const value = optionalNumericDate(raw, name, context);
    if (value !== undefined) registered[name] = value;
  }
  return { registered, raw };
}

export interface ExpectedClaims {
  issuer?: string;
  subject?: string;
  audience?: string;
  now: Date;
  leewayMs?: number;
}

/** Throws a BadParameter carrying go-jose's message for the first failed check. */
export function validateRegisteredClaims(claims: RegisteredClaims, expected: ExpectedClaims): void {
  const now = expected.now.getTime();
  if (Number.isNaN(now)) throw badParameter('validating claims: invalid current time');
  const leeway = expected.leewayMs ?? CLAIMS_LEEWAY_MS;
  if (expected.issuer !== undefined && claims.iss !== expected.issuer) throw badParameter(ERR_INVALID_ISSUER);
  if (expected.subject !== undefined && claims.sub !== expected.subject) throw badParameter(ERR_INVALID_SUBJECT);
  if (expected.audience !== undefined && !(claims.aud ?? []).includes(expected.audience)) {
    throw badParameter(ERR_INVALID_AUDIENCE);
  }
  if (claims.nbf !== undefined && now + leeway < claims.nbf * 1000) throw badParameter(ERR_NOT_VALID_YET);
  // Mutant: server-exp-not-checked skips the expiry check (only challenges carry exp).
  if (!mutantActive('server-exp-not-checked') && claims.exp !== undefined && now - leeway > claims.exp * 1000) throw badParameter(ERR_EXPIRED);
  if (claims.iat !== undefined && now + leeway < claims.iat * 1000) throw badParameter(ERR_ISSUED_IN_THE_FUTURE);
}

/** Seconds since the epoch, truncated, as a JSON NumericDate. */
export function numericDate(d: Date): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw badParameter('invalid date');
  return Math.floor(ms / 1000);
}
