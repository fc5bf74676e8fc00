// Helpers for the bot library's unit tests only (not exported from index.ts).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BotClock } from '../clock.js';
import { directoryStorage } from './bot-storage.js';
import type { BotStorage } from './bot-storage.js';

export interface TempStorage {
  dir: string;
  storage: BotStorage;
  /** File names in the directory, sorted (temporary files included, so leftovers show). */
  files(): string[];
  cleanup(): void;
}

export function tempStorage(prefix = 'bkp-bot-test-'): TempStorage {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    storage: directoryStorage(dir),
    files: () => readdirSync(dir).sort(),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-11-25T12:00:00.123Z')): BotClock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => { now += ms; } };
}

/**
 * Storage that records every write and can be told to fail: `failAfter = n`
 * lets n writes through and makes every later write throw without touching
 * the disk — a crash right after the n-th write, as far as the disk knows.
 */
export function recordingStorage(inner: BotStorage, failAfter = Infinity): BotStorage & { writes: string[]; failAfter: number } {
  const writes: string[] = [];
  const storage = {
    location: inner.location,
    writes,
    failAfter,
    read: (name: string) => inner.read(name),
    async write(name: string, data: Buffer | string) {
      if (writes.length >= storage.failAfter) throw new Error(`simulated crash before writing ${name}`);
      await inner.write(name, data);
      writes.push(name);
    },
  };
  return storage;
}
