// What the join state (JST) and lock (LCK) scenarios remember between steps,
// and the few things they compute from a join state document on the client's
// side: its claims, a copy re-signed with a key the cluster never trusted,
// and the locks a join left behind.
//
// Everything here works on what a client holds or what the control API
// shows; nothing reaches into the server.
import { CompactSign, decodeProtectedHeader } from 'jose';
import { keyId } from '../../reference/crypto/index.js';
import type { BkpWorld } from './world.js';
import type { Json } from './control-client.js';
import { newKey } from './keys.js';

interface SceneState {
  /** Copies of join states a bot kept aside, by the name the feature gave them. */
  copies: Map<string, Buffer>;
  /** kids of the bound_keypair CA before the last rotation the scenario asked for. */
  kidsBeforeRotation?: Set<string>;
}

const scenes = new WeakMap<BkpWorld, SceneState>();

export function scene(world: BkpWorld): SceneState {
  let s = scenes.get(world);
  if (!s) {
    s = { copies: new Map() };
    scenes.set(world, s);
  }
  return s;
}

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

export function boundKeypairStatus(token: Json | undefined): Json {
  return ((token?.status as Json | undefined)?.bound_keypair as Json | undefined) ?? {};
}

export function lockTarget(lock: Json): Json {
  return ((lock.spec as Json | undefined)?.target as Json | undefined) ?? {};
}

export function lockName(lock: Json): string {
  return String((lock.metadata as Json).name);
}

/** Locks in the server's list now that were not in the snapshot taken before the last join. */
export async function locksCreatedByLastJoin(world: BkpWorld): Promise<Json[]> {
  if (!world.before) throw new Error('no state was recorded before the last join');
  const before = world.before.locks;
  return (await world.control.listLocks()).filter((l) => !before.has(lockName(l)));
}
