// "One core" measured honestly: on a machine with two or more CPUs and
// taskset(1), the server child runs on CPU 0 alone and the load generator
// (this process, every thread of it) on CPU 1, so the two never compete for
// a core. Elsewhere nothing is pinned, and the report says so.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface PinPlan {
  pinned: boolean;
  /** Why not, when not. */
  reason?: string;
  serverCpu?: number;
  generatorCpu?: number;
}

export function planPinning(wanted: boolean): PinPlan {
  if (!wanted) return { pinned: false, reason: 'disabled with --no-pin' };
  if (os.cpus().length < 2) return { pinned: false, reason: 'fewer than two CPUs' };
  if (!tasksetWorks()) return { pinned: false, reason: 'taskset(1) is not available' };
  return { pinned: true, serverCpu: 0, generatorCpu: 1 };
}

/** The command prefix that starts a program on the server's CPU. */
export function serverCommandPrefix(plan: PinPlan): string[] {
  return plan.pinned ? ['taskset', '-c', String(plan.serverCpu)] : [];
}

/** Moves every thread of this process onto the generator's CPU. */
export function pinThisProcess(plan: PinPlan): void {
  if (!plan.pinned) return;
  execFileSync('taskset', ['-a', '-cp', String(plan.generatorCpu), String(process.pid)], { stdio: 'ignore' });
}

/** Lets this process (and what it starts from now on) use every CPU again. */
export function releaseThisProcess(plan: PinPlan): void {
  if (!plan.pinned) return;
  execFileSync('taskset', ['-a', '-cp', `0-${os.cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
}

function tasksetWorks(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
