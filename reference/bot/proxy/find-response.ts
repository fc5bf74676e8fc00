// Reads the one thing the bot needs from a proxy's `GET /webapi/find`
// answer: the cluster's signature algorithm suite (`auth.signature_algorithm_suite`),
// which decides the key type `keypair create` generates.
//
// Teleport's web API writes the field with Go's encoding/json from a
// protobuf enum, so a real proxy sends a number (1 legacy, 2 balanced-v1,
// 3 fips-v1, 4 hsm-v1) and omits it when unspecified; other servers (and
// Teleport's own YAML/JSON tooling) use the suite names. Both are accepted.
// Unspecified (0, "", absent) means `legacy`, as in Teleport. Anything else
// is refused with the value named: guessing a key type would produce a key
// the cluster may not accept.
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';
import { isSignatureAlgorithmSuite } from '../../crypto/index.js';

/** Teleport's `types.SignatureAlgorithmSuite` enum numbers. */
const SUITE_BY_NUMBER: ReadonlyMap<number, SignatureAlgorithmSuite> = new Map([
  [0, 'legacy'], // SIGNATURE_ALGORITHM_SUITE_UNSPECIFIED: treated as legacy
  [1, 'legacy'],
  [2, 'balanced-v1'],
  [3, 'fips-v1'],
  [4, 'hsm-v1'],
]);

/** What was wrong with a find answer; the caller adds the address. */
export class FindResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FindResponseError';
  }
}

/** The suite named by a parsed `/webapi/find` body; throws FindResponseError naming the fault. */
export function suiteFromFindResponse(body: unknown): SignatureAlgorithmSuite {
  if (!isPlainObject(body)) throw new FindResponseError(`expected a JSON object, got ${describe(body)}`);
  const auth = body.auth;
  if (auth === undefined) throw new FindResponseError('missing field "auth"');
  if (!isPlainObject(auth)) throw new FindResponseError(`field "auth" must be an object, got ${describe(auth)}`);
  return parseSuiteValue(auth.signature_algorithm_suite);
}

/** One `signature_algorithm_suite` value: a suite name, an enum number, or nothing. */
export function parseSuiteValue(value: unknown): SignatureAlgorithmSuite {
  if (value === undefined || value === null || value === '') return 'legacy';
  if (typeof value === 'number') {
    const suite = SUITE_BY_NUMBER.get(value);
    if (suite) return suite;
    throw new FindResponseError(`field "auth.signature_algorithm_suite" holds an unknown suite number ${value} (expected 0 to 4)`);
  }
  if (typeof value === 'string') {
    if (isSignatureAlgorithmSuite(value)) return value;
    throw new FindResponseError(
      `field "auth.signature_algorithm_suite" holds an unknown suite ${JSON.stringify(value.slice(0, 64))} (expected legacy, balanced-v1, fips-v1 or hsm-v1)`,
    );
  }
  throw new FindResponseError(`field "auth.signature_algorithm_suite" must be a suite name or number, got ${describe(value)}`);
}

/**
 * The message of a Teleport error body: `{"error":{"message":"…"}}` (trace's
 * current form) or `{"message":"…"}` (its older form). Undefined otherwise.
 */
export function teleportErrorMessage(body: unknown): string | undefined {
  if (!isPlainObject(body)) return undefined;
  const inner = body.error;
  if (isPlainObject(inner) && typeof inner.message === 'string') return inner.message;
  if (typeof body.message === 'string') return body.message;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
