// Lock resources (kind: lock, version: v2) in Teleport's shape. A lock in
// force refuses every join or certificate that matches one of its targets.
import { mutantActive } from '../../mutants/switch.js';

export interface LockTarget {
  join_token?: string;
  bot_instance_id?: string;
  user?: string;
}

export interface Lock {
  kind: 'lock';
  version: 'v2';
  metadata: { name: string; revision?: string };
  spec: {
    target: LockTarget;
    message?: string;
    /** RFC 3339; a lock past its expiry is no longer in force. */
    expires?: string;
    created_at?: string;
    created_by?: string;
  };
}

export const LOCK_TARGET_KEYS = ['join_token', 'bot_instance_id', 'user'] as const;

/** True when every field set on the lock's target equals the candidate's. */
export function lockMatches(lock: Lock, candidate: LockTarget): boolean {
  let constrained = false;
  for (const key of LOCK_TARGET_KEYS) {
    const want = lock.spec.target[key];
    if (want === undefined || want === '') continue;
    constrained = true;
    if (candidate[key] !== want) return false;
  }
  return constrained;
}

export function lockInForce(lock: Lock, now: Date): boolean {
  // Mutant: server-lock-expiry-ignored keeps expired locks in force.
  if (!lock.spec.expires || mutantActive('server-lock-expiry-ignored')) return true;
  return new Date(lock.spec.expires).getTime() > now.getTime();
}

/** Teleport's message for a join refused by a lock: it carries the lock's own message. */
export function lockedMessage(lock: Lock): string {
  const base = `lock targeting ${describeTarget(lock.spec.target)} is in force`;
  return lock.spec.message ? `${base}: ${lock.spec.message}` : base;
}

function describeTarget(target: LockTarget): string {
  return LOCK_TARGET_KEYS.filter((k) => target[k]).map((k) => `${k}:${target[k]}`).join(', ');
}
