// What the join state (JST) scenarios remember between steps, and the few
// things any area computes from a join state document on the client's side:
// its claims (read without verifying it), its kid, and a copy re-signed with
// a key the cluster never trusted.
//
// Everything here works on what a client holds or what the control API
// shows; nothing reaches into the server.
import { CompactSign, decodeProtectedHeader } from 'jose';
import { keyId } from '../../reference/crypto/index.js';
import { scenarioState } from './world.js';
import type { Json } from './control-client.js';
import { newKey } from './keys.js';

interface SceneState {
  /** Copies of join states a bot kept aside, by the name the feature gave them. */
  copies: Map<string, Buffer>;
  /** kids of the bound_keypair CA before the last rotation the scenario asked for. */
  kidsBeforeRotation?: Set<string>;
}

export const scene = scenarioState<SceneState>(() => ({ copies: new Map() }));

/** The claims of a compact JWS join state, read without verifying it. */
export function joinStateClaims(state: Buffer | string): Json {
  const payload = state.toString().split('.')[1];
  if (payload === undefined) throw new Error('the join state is not a compact JWS');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
}

export function joinStateKid(state: Buffer | string): string {
  return String(decodeProtectedHeader(state.toString()).kid ?? '');
}

/**
 * The same claims, signed by a fresh Ed25519 key the cluster has never seen,
 * with that key's own Teleport key ID as kid: a forger who can write any
 * claims but cannot sign with the bound_keypair CA.
 */
export async function resignedWithOwnKey(state: Buffer): Promise<Buffer> {
  const own = newKey('ed25519');
  const claims = Buffer.from(JSON.stringify(joinStateClaims(state)));
  const jws = await new CompactSign(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: keyId(own.publicKey), typ: 'JWT' })
    .sign(own.privateKey);
  return Buffer.from(jws);
}
