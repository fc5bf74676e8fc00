// "Is a lock in force against any of these targets?" — asked by the join
// handler after the key proof and before the join state check, so that a
// caller without the key learns nothing and a locked token creates no
// further locks.
import type { ClusterStore } from '../store/store.js';
import type { LockTarget } from './lock.js';
import { lockInForce, lockMatches, lockedMessage } from './lock.js';
import { accessDenied } from '../../protocol/errors.js';

export async function assertNotLocked(store: ClusterStore, targets: LockTarget[], now: Date): Promise<void> {
  const locks = await store.listLocks();
  for (const lock of locks) {
    if (!lockInForce(lock, now)) continue;
    if (targets.some((t) => lockMatches(lock, t))) throw accessDenied(lockedMessage(lock));
  }
}
