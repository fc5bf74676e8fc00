// Helpers for this folder's unit tests only (not exported from index.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceError } from '../protocol/errors.js';
import type { TraceKind } from '../protocol/errors.js';

/** Asserts that `fn` throws a TraceError of `kind` whose message contains every `parts`. */
export function assertTraceError(fn: () => unknown, kind: TraceKind, ...parts: string[]): TraceError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  return checkTraceError(caught, kind, parts);
}

export function checkTraceError(caught: unknown, kind: TraceKind, parts: string[]): TraceError {
  assert.ok(caught instanceof TraceError, `expected a TraceError, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  assert.equal(caught.kind, kind, `wrong kind for "${caught.message}"`);
  for (const part of parts) assert.ok(caught.message.includes(part), `message "${caught.message}" lacks "${part}"`);
  return caught;
}

/** A temporary directory removed by the returned cleanup function. */
export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bkp-crypto-test-'));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a tool and returns stdout; stderr is included in the thrown error. */
export function run(cmd: string, args: string[], input?: Buffer | string, env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { input, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

export function runBinary(cmd: string, args: string[], input?: Buffer | string): Buffer {
  return execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}
