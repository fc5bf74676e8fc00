// The run manifest: what was run against what, so a report can be trusted
// and reproduced by someone else — suite version and commit, the catalogue's
// hash (requirement texts the verdicts refer to), the target and how it was
// launched, the seed and selection, and when.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { catalogueHash, sha256Hex } from '../catalogue/catalogue.js';
import { PROJECT_ROOT } from '../target/schema.js';

export const MANIFEST_SCHEMA = 'bkp-run-manifest/1';

export interface RunManifest {
  schema: typeof MANIFEST_SCHEMA;
  runId: string;
  suite: { name: string; version: string; commit: string };
  catalogue: { hash: string };
  target: { name: string; role: 'server' | 'bot'; mode: string; file: string; fileSha256: string; implementation?: string; features?: string[] };
  seed: string;
  tags: string;
  parallel: number;
  startedAt: string;
  endedAt?: string;
  environment: { node: string; platform: string; host: string; cpus: number };
}

function packageInfo(): { name: string; version: string } {
  const p = JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { name: string; version: string };
  return { name: p.name, version: p.version };
}

/** The suite's git commit, with "+dirty" for uncommitted changes; "unknown" outside a checkout. */
export function suiteCommit(): string {
  try {
    const run = (args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
    const commit = run(['rev-parse', 'HEAD']);
    return run(['status', '--porcelain', '--untracked-files=no']) === '' ? commit : `${commit}+dirty`;
  } catch {
    return 'unknown';
  }
}

function fileHash(file: string): string {
  try {
    return sha256Hex(readFileSync(file));
  } catch {
    return 'unreadable';
  }
}

export function startManifest(runId: string, target: { name: string; role: 'server' | 'bot'; mode: string; file: string; path: string }, run: { seed: string; tags: string; parallel: number }): RunManifest {
  return {
    schema: MANIFEST_SCHEMA,
    runId,
    suite: { ...packageInfo(), commit: suiteCommit() },
    catalogue: { hash: catalogueHash() },
    target: { name: target.name, role: target.role, mode: target.mode, file: target.file, fileSha256: fileHash(target.path) },
    seed: run.seed,
    tags: run.tags,
    parallel: run.parallel,
    startedAt: new Date().toISOString(),
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, host: os.hostname(), cpus: os.cpus().length },
  };
}
