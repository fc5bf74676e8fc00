// Where and on what a benchmark ran, so that runs can be compared: CPU model
// and count, load average (other people share the machine: a figure taken
// under load says so), Node version, the git commit and whether the tree had
// local changes. Read-only: git is only asked, never changed.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  hostname: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  totalMemoryMb: number;
  node: string;
  git: { commit: string; dirty: boolean } | { error: string };
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    git: gitState(),
  };
}

/** The 1, 5 and 15 minute load averages, rounded to hundredths. */
export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = os.loadavg().map((v) => Math.round(v * 100) / 100);
  return [a, b, c];
}

function gitState(): MachineInfo['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim() !== '' };
  } catch (err) {
    return { error: `git unavailable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}
