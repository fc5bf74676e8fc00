// Validation of `kind: lock` resources sent to the control API. A lock with
// no target would match nothing (lockMatches needs one constrained field), so
// it is refused rather than stored as a silent no-op.
import { randomUUID } from 'node:crypto';
import { badField } from '../../protocol/errors.js';
import { objectAt, optionalString, optionalTimestamp, resourceName } from '../validation/fields.js';
import { LOCK_TARGET_KEYS } from './lock.js';
import type { Lock, LockTarget } from './lock.js';

export function parseLockResource(input: unknown, newName: () => string = randomUUID): Lock {
  const root = objectAt(input, '', ['kind', 'version', 'metadata', 'spec']);
  if (root.kind !== 'lock') throw badField('kind', 'must be "lock"');
  if (root.version !== 'v2') throw badField('version', 'must be "v2"');

  // metadata (and its name) may be omitted: the server names the lock.
  const metadata = root.metadata === undefined || root.metadata === null ? {} : objectAt(root.metadata, 'metadata', ['name', 'revision']);
  const name = metadata.name === undefined || metadata.name === null ? newName() : resourceName(metadata.name, 'metadata.name');

  const spec = objectAt(root.spec, 'spec', ['target', 'message', 'expires', 'created_at', 'created_by']);
  const lock: Lock = { kind: 'lock', version: 'v2', metadata: { name }, spec: { target: parseTarget(spec.target) } };
  const message = optionalString(spec, 'message', 'spec');
  const expires = optionalTimestamp(spec, 'expires', 'spec');
  // Accepted so that a lock read back from the API can be sent again.
  const createdAt = optionalTimestamp(spec, 'created_at', 'spec');
  const createdBy = optionalString(spec, 'created_by', 'spec');
  if (message !== undefined) lock.spec.message = message;
  if (expires !== undefined) lock.spec.expires = expires;
  if (createdAt !== undefined) lock.spec.created_at = createdAt;
  if (createdBy !== undefined) lock.spec.created_by = createdBy;
  return lock;
}

function parseTarget(value: unknown): LockTarget {
  const raw = objectAt(value, 'spec.target', LOCK_TARGET_KEYS);
  const target: LockTarget = {};
  for (const key of LOCK_TARGET_KEYS) {
    const v = optionalString(raw, key, 'spec.target');
    if (v) target[key] = v;
  }
  if (Object.keys(target).length === 0) {
    throw badField('spec.target', `must set at least one of ${LOCK_TARGET_KEYS.join(', ')}`);
  }
  return target;
}
