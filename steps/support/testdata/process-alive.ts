// For tests that kill bot processes: is this pid still running?
import { readFileSync } from 'node:fs';

/** Running, not a zombie: in a container whose init does not reap, killed orphans stay as zombies. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}
