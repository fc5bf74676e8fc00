// Reading the server's resources as the control API shows them: a token's
// bound_keypair status, the bot instance it is bound to, locks and their
// targets, and the audit events since the last join. Shared by every area's
// steps; nothing here reaches into the server.
import assert from 'node:assert/strict';
import type { Json } from './control-client.js';
import type { BkpWorld } from './world.js';

export function boundKeypairStatus(token: Json | undefined): Json {
  return ((token?.status as Json | undefined)?.bound_keypair as Json | undefined) ?? {};
}

export function resourceName(resource: Json): string {
  return String((resource.metadata as Json).name);
}

export async function botNameOf(world: BkpWorld, token: string): Promise<string> {
  return String(((await world.control.getToken(token)).spec as Json).bot_name ?? '');
}

/** The bot instance the token's status names now; fails if it names none. */
export async function boundInstanceId(world: BkpWorld, token: string): Promise<string> {
  const id = String(boundKeypairStatus(await world.control.getToken(token)).bound_bot_instance_id ?? '');
  assert.ok(id, `token "${token}" is bound to no bot instance`);
  return id;
}

/** A listed bot instance, of any bot or of the named one. */
export async function findBotInstance(world: BkpWorld, id: string, bot?: string): Promise<Json> {
  const found = (await world.control.listBotInstances(bot)).find((i) => resourceName(i) === id);
  assert.ok(found, `bot instance ${id}${bot === undefined ? '' : ` of bot "${bot}"`} is not listed`);
  return found;
}

export function lockTarget(lock: Json): Json {
  return ((lock.spec as Json | undefined)?.target as Json | undefined) ?? {};
}

export function locksOnJoinToken(locks: Json[], token: string): Json[] {
  return locks.filter((l) => lockTarget(l).join_token === token);
}

/** Locks in the server's list now that were not in the snapshot taken before the last join. */
export async function locksCreatedByLastJoin(world: BkpWorld): Promise<Json[]> {
  assert.ok(world.before, 'no state was recorded before the last join');
  const before = world.before.locks;
  return (await world.control.listLocks()).filter((l) => !before.has(resourceName(l)));
}

/** Audit events recorded since the snapshot taken before the last join. */
export async function auditEventsSinceLastJoin(world: BkpWorld, filter: { event?: string; token_name?: string } = {}): Promise<Json[]> {
  return world.control.listAuditEvents({ ...filter, since_index: world.before?.lastAuditIndex ?? 0 });
}
