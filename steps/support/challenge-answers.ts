// The adversary's toolbox for the challenge ceremony (CHL area): the suite's
// own reading of a challenge document, key IDs computed independently of the
// server, compact JWS crafted by hand (alg none, HMAC keyed with the public
// key, signatures labelled with another algorithm, garbage), tampered claims
// re-signed with the right key, and join streams held open at the challenge
// so that a scenario can play two streams against each other.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '../../reference/crypto/index.js';
import { encodeSshWirePublicKey } from '../../reference/crypto/index.js';
import type { ChallengeContext, JoinOutcome, JoinPlan } from './ceremony.js';
import { runJoin } from './ceremony.js';
import type { JoinTarget } from './join-connection.js';
import type { KeyHolder } from './keys.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';

// ------------------------------------------------------------- documents

export const CHALLENGE_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'nonce'] as const;

export type ClaimsObject = Record<string, unknown>;

/** Parses a challenge document; fails the step with the document when it is not a JSON object. */
export function parseChallengeDocument(document: string): ClaimsObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw new Error(`the challenge document is not JSON: ${JSON.stringify(document.slice(0, 200))}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`the challenge document is not a JSON object: ${document.slice(0, 200)}`);
  }
  return parsed as ClaimsObject;
}

export function numericClaim(claims: ClaimsObject, name: string): number {
  const v = claims[name];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`the challenge's ${name} is not a whole number of seconds: ${JSON.stringify(v)}`);
  return v;
}

// ---------------------------------------------------------------- keys

/**
 * Teleport's jwt.KeyID, computed here from the key alone: base64url without
 * padding of SHA-256 over the PKIX SubjectPublicKeyInfo DER, except RSA keys,
 * which are hashed in their PKCS#1 DER form.
 */
export function independentKeyId(publicKey: KeyObject): string {
  const der = publicKey.asymmetricKeyType === 'rsa'
    ? publicKey.export({ type: 'pkcs1', format: 'der' })
    : publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

function sshString(bytes: Buffer | string): Buffer {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/**
 * An ECDSA P-384 key, which none of Teleport's suites generates for bound
 * keypairs (BKP-CHL-029 is a MAY). The reference crypto layer does not model
 * P-384, so the authorized_keys text (RFC 5656) is encoded here and the
 * holder's `algorithm` is outside KeyAlgorithm: the shared key lookup
 * (findKey) will not recognise it, and challenge steps match it by text.
 */
export function newP384Key(): KeyHolder {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  const blob = Buffer.concat([sshString('ecdsa-sha2-nistp384'), sshString('nistp384'), sshString(point)]);
  return {
    algorithm: 'ecdsa-p384' as unknown as KeyAlgorithm,
    privateKey,
    publicKey,
    authorizedKey: `ecdsa-sha2-nistp384 ${blob.toString('base64')}`,
    jwsAlgorithm: 'ES384',
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** `<type> <base64>` of an authorized_keys line, without comment or whitespace. */
export function authorizedKeyCore(text: string): string {
  return text.trim().split(/[ \t]+/).slice(0, 2).join(' ');
}

/** The key, among the ones given, that the challenge names (matched by type and key data). */
export function keyNamedBy(ctx: ChallengeContext, keys: KeyHolder[]): KeyHolder | undefined {
  if (ctx.key) return ctx.key;
  const named = authorizedKeyCore((ctx.challenge.public_key ?? Buffer.alloc(0)).toString('utf8'));
  return keys.find((k) => authorizedKeyCore(k.authorizedKey) === named);
}

// --------------------------------------------------------- compact JWS

const b64u = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64url');

/** A signature by the key in its own JWS algorithm (ECDSA as raw r||s unless DER is asked for). */
export function nativeSignature(key: KeyObject, input: Buffer, ecdsaEncoding: 'ieee-p1363' | 'der' = 'ieee-p1363'): Buffer {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return cryptoSign(null, input, key);
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const hash = curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
      return cryptoSign(hash, input, { key, dsaEncoding: ecdsaEncoding });
    }
    case 'rsa':
      return cryptoSign('sha256', input, key);
    default:
      throw new Error(`the suite cannot sign with a ${key.asymmetricKeyType} key`);
  }
}

/** Assembles `<header>.<payload>.<signature>`; the signer sees the exact signing input. */
export function craftCompactJws(header: Record<string, unknown> | string, payload: string | Buffer, signer: (signingInput: Buffer) => Buffer): string {
  const h = b64u(typeof header === 'string' ? header : JSON.stringify(header));
  const p = b64u(payload);
  const signature = signer(Buffer.from(`${h}.${p}`));
  return `${h}.${p}.${b64u(signature)}`;
}

/** The honest answer for any key the suite holds, with an explicit header alg. */
export function signAs(document: string | Buffer, key: KeyHolder, alg: string = key.jwsAlgorithm): string {
  return craftCompactJws({ alg, typ: 'JWT' }, document, (input) => nativeSignature(key.privateKey, input));
}

// ------------------------------------------------------ tampered claims

export interface TamperEnv {
  world: BkpWorld;
  issued: ClaimsObject;
}

/**
 * Applies one change, written as in the feature files, to a copy of the
 * issued claims:
 *   `iat + 1`, `nbf - 1`, `iat + 60`        a time claim relative to an issued one
 *   `nothing (claim removed)`               the claim is left out
 *   `another random nonce`                  64 fresh hex characters
 *   `the issued nonce in upper case`        same hex value, other bytes
 *   `the issued nonce with its last character changed`
 *   `the key ID of "mallory"`               another client's key ID
 *   `the cluster name in upper case`
 *   any JSON value                          e.g. "evil.example.com", ["evil.example.com"]
 */
export function applyClaimChange(env: TamperEnv, claim: string, change: string): ClaimsObject {
  const claims: ClaimsObject = { ...env.issued };
  const text = change.trim();
  const relative = /^(iat|exp|nbf) ([+-]) (\d+)$/.exec(text);
  const keyIdOf = /^the key ID of "([^"]+)"$/.exec(text);
  const nonce = String(env.issued.nonce ?? '');
  if (relative) {
    const base = numericClaim(env.issued, relative[1] as string);
    claims[claim] = base + (relative[2] === '-' ? -1 : 1) * Number(relative[3]);
  } else if (text === 'nothing (claim removed)') {
    delete claims[claim];
  } else if (text === 'another random nonce') {
    claims[claim] = randomBytes(32).toString('hex');
  } else if (text === 'the issued nonce in upper case') {
    if (!/[a-f]/.test(nonce)) throw new Error(`the issued nonce ${nonce} has no letter to upper-case; rerun`);
    claims[claim] = nonce.toUpperCase();
  } else if (text === 'the issued nonce with its last character changed') {
    const last = nonce.slice(-1);
    claims[claim] = nonce.slice(0, -1) + (last === '0' ? '1' : '0');
  } else if (keyIdOf) {
    const key = env.world.client(keyIdOf[1] as string).keys[0];
    if (!key) throw new Error(`bot client "${keyIdOf[1]}" holds no key`);
    claims[claim] = independentKeyId(key.publicKey);
  } else if (text === 'the cluster name in upper case') {
    if (env.world.clusterName.toUpperCase() === env.world.clusterName) throw new Error('the cluster name has no lower-case letter');
    claims[claim] = env.world.clusterName.toUpperCase();
  } else {
    try {
      claims[claim] = JSON.parse(text);
    } catch {
      throw new Error(`unknown claim change "${text}"; see applyClaimChange in steps/support/challenge-answers.ts`);
    }
  }
  if (JSON.stringify(claims) === JSON.stringify(env.issued)) throw new Error(`the change "${text}" leaves the ${claim} claim as issued`);
  return claims;
}

// ------------------------------------------------------------ forgeries

export interface ForgeryEnv {
  world: BkpWorld;
  /** The challenge as received. */
  ctx: ChallengeContext;
  /** The key the challenge names, as the honest client holds it. */
  challenged: KeyHolder;
}

function clientKey(world: BkpWorld, name: string): KeyHolder {
  const key = world.client(name).keys[0];
  if (!key) throw new Error(`bot client "${name}" holds no key`);
  return key;
}

function macKey(challenged: KeyHolder, form: string): Buffer {
  switch (form) {
    case 'authorized_keys text': return Buffer.from(challenged.authorizedKey);
    case 'PKIX DER': return challenged.publicKey.export({ type: 'spki', format: 'der' });
    case 'PEM': return Buffer.from(challenged.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    case 'SSH wire encoding': return encodeSshWirePublicKey(challenged.publicKey);
    default: throw new Error(`unknown MAC key form "${form}"`);
  }
}

type Forger = (env: ForgeryEnv, m: RegExpExecArray) => string | Buffer;

/** Every forged or malformed answer the features name, by its wording. */
const FORGERIES: [RegExp, Forger][] = [
  // Signatures by another key, or not by any key.
  [/^a valid signature by "([^"]+)"$/, ({ ctx, world }, m) => signAs(ctx.document, clientKey(world, m[1] as string))],
  [/^a valid signature by "([^"]+)", its public key embedded as a jwk header$/, ({ ctx, world }, m) => {
    const key = clientKey(world, m[1] as string);
    const jwk = key.publicKey.export({ format: 'jwk' });
    return craftCompactJws({ alg: key.jwsAlgorithm, typ: 'JWT', jwk }, ctx.document, (input) => nativeSignature(key.privateKey, input));
  }],
  [/^a valid signature by "([^"]+)" with its last byte flipped$/, ({ ctx, world }, m) => {
    const key = clientKey(world, m[1] as string);
    return craftCompactJws({ alg: key.jwsAlgorithm, typ: 'JWT' }, ctx.document, (input) => {
      const sig = nativeSignature(key.privateKey, input);
      sig[sig.length - 1] = (sig[sig.length - 1] as number) ^ 0x01;
      return sig;
    });
  }],
  [/^an ECDSA signature by "([^"]+)" in DER form$/, ({ ctx, world }, m) => {
    const key = clientKey(world, m[1] as string);
    return craftCompactJws({ alg: key.jwsAlgorithm, typ: 'JWT' }, ctx.document, (input) => nativeSignature(key.privateKey, input, 'der'));
  }],
  // alg none, HMAC, and signatures labelled with an algorithm that is not the key's.
  [/^alg "none" and an empty signature$/, ({ ctx }) => craftCompactJws({ alg: 'none', typ: 'JWT' }, ctx.document, () => Buffer.alloc(0))],
  [/^alg "none" and a valid signature by "([^"]+)"$/, ({ ctx, world }, m) =>
    craftCompactJws({ alg: 'none', typ: 'JWT' }, ctx.document, (input) => nativeSignature(clientKey(world, m[1] as string).privateKey, input))],
  [/^(HS256|HS384|HS512) keyed with the challenged key's (authorized_keys text|PKIX DER|PEM|SSH wire encoding)$/, ({ ctx, challenged }, m) => {
    const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[m[1] as 'HS256' | 'HS384' | 'HS512'];
    const secret = macKey(challenged, m[2] as string);
    return craftCompactJws({ alg: m[1], typ: 'JWT' }, ctx.document, (input) => createHmac(hash, secret).update(input).digest());
  }],
  [/^alg "([^"]+)" over a valid signature by "([^"]+)"$/, ({ ctx, world }, m) =>
    craftCompactJws({ alg: m[1], typ: 'JWT' }, ctx.document, (input) => nativeSignature(clientKey(world, m[2] as string).privateKey, input))],
  [/^no alg over a valid signature by "([^"]+)"$/, ({ ctx, world }, m) =>
    craftCompactJws({ typ: 'JWT' }, ctx.document, (input) => nativeSignature(clientKey(world, m[1] as string).privateKey, input))],
  // Not a compact JWS at all.
  [/^an empty string$/, () => Buffer.alloc(0)],
  [/^the text "([^"]*)"$/, (_env, m) => Buffer.from(m[1] as string)],
  [/^the challenge document itself, unsigned$/, ({ ctx }) => Buffer.from(ctx.document)],
  [/^only two dot-separated parts$/, ({ ctx, challenged }) => signAs(ctx.document, challenged).split('.').slice(0, 2).join('.')],
  [/^four dot-separated parts$/, ({ ctx, challenged }) => `${signAs(ctx.document, challenged)}.${b64u('extra')}`],
  [/^a header that is not base64url$/, ({ ctx, challenged }) => `!!!${signAs(ctx.document, challenged)}`],
  [/^a header that is not JSON$/, ({ ctx, challenged }) => {
    const [, p, s] = signAs(ctx.document, challenged).split('.');
    return `${b64u('not json')}.${p}.${s}`;
  }],
  [/^(\d+) random bytes$/, (_env, m) => randomBytes(Number(m[1]))],
];

export function forgeSolution(env: ForgeryEnv, wording: string): string | Buffer {
  for (const [pattern, forger] of FORGERIES) {
    const m = pattern.exec(wording.trim());
    if (m) return forger(env, m);
  }
  throw new Error(`unknown forged solution "${wording}"; known forms:\n${FORGERIES.map(([p]) => `  ${p.source}`).join('\n')}`);
}

// ---------------------------------------------------------- held streams

export interface HeldJoin {
  /** Resolves when the first challenge arrives; rejects if the stream ends first. */
  challenge: Promise<ChallengeContext>;
  /** Sends the answer to the first challenge (later challenges, if any, are answered honestly). */
  answer(solution: string | Buffer | 'give-up'): void;
  outcome: Promise<JoinOutcome>;
  answered: boolean;
}

/** Starts a join and holds it at its first challenge until `answer` is called. */
export function holdJoin(target: JoinTarget, plan: JoinPlan): HeldJoin {
  let received!: (ctx: ChallengeContext) => void;
  let release!: (answer: string | Buffer | 'give-up') => void;
  const arrived = new Promise<ChallengeContext>((resolve) => { received = resolve; });
  const released = new Promise<string | Buffer | 'give-up'>((resolve) => { release = resolve; });
  const outcome = runJoin(target, {
    ...plan,
    respond: async (ctx) => {
      if (ctx.index > 0) return ctx.key ? ctx.sign(ctx.document, { key: ctx.key }) : 'give-up';
      received(ctx);
      return released;
    },
  });
  const held: HeldJoin = {
    challenge: Promise.race([
      arrived,
      outcome.then((o) => {
        throw new Error(`the join stream ended before any challenge: ${o.end.codeName} ${o.end.details}`);
      }),
    ]),
    answer(solution) {
      held.answered = true;
      release(solution);
    },
    outcome,
    answered: false,
  };
  // Keep an early end from surfacing as an unhandled rejection; callers
  // still see it when they await these promises.
  held.challenge.catch(() => undefined);
  outcome.catch(() => undefined);
  return held;
}

// ------------------------------------------------------ per-scenario state

export interface ChallengeAreaState {
  /** Join streams held open at their challenge, by the name the scenario gives them. */
  streams: Map<string, HeldJoin>;
  /** Solutions signed for a stream's challenge, by stream name. */
  signed: Map<string, string | Buffer>;
  /** The last solution sent on a stream, for "that same signature". */
  lastSent?: string | Buffer;
  /** An answer the server accepted on a completed join, kept for replay. */
  keptAnswer?: string;
  /** Challenges collected from several streams. */
  sampled: ChallengeContext[];
}

export const challengeState = scenarioState<ChallengeAreaState>(() => ({ streams: new Map(), signed: new Map(), sampled: [] }));
