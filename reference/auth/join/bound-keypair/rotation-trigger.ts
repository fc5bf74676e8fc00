// When does a join have to rotate the bound key? (§6)
// rotate_after unset or in the future: no. Never rotated: yes. Otherwise
// only if the last rotation happened strictly before rotate_after.
import { parseTimestamp } from '../../clock/clock.js';
import { mutantActive } from '../../../mutants/switch.js';

export function shouldRequestRotation(rotateAfter: string | undefined, lastRotatedAt: string | undefined, now: Date): boolean {
  const after = parseTimestamp(rotateAfter);
  if (!after || Number.isNaN(after.getTime())) return false;
  // Mutant: server-future-rotation-due rotates before rotate_after.
  if (after.getTime() > now.getTime() && !mutantActive('server-future-rotation-due')) return false;
  const last = parseTimestamp(lastRotatedAt);
  if (!last || Number.isNaN(last.getTime())) return true;
  return last.getTime() < after.getTime();
}
