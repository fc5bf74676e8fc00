// The files one scenario's bot works with, in a fresh private directory
// (mkdtemp, mode 0700): the storage directory (not created: creating it is
// the bot's job), the registration secret file, the static key file, the
// cluster's host CA and the clock file. Writes that a running bot may read
// concurrently (the clock file) are atomic: write a sibling, then rename.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type ClockFileFormat = 'rfc3339' | 'faketime';

export interface BotPaths {
  root: string;
  storage: string;
  secretPath: string;
  staticKeyPath: string;
  caPath: string;
  clockFile: string;
}

export async function createBotWorkDir(): Promise<BotPaths> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bkp-bot-'));
  return {
    root,
    storage: path.join(root, 'storage'),
    secretPath: path.join(root, 'registration-secret'),
    staticKeyPath: path.join(root, 'static-key'),
    caPath: path.join(root, 'host-ca.pem'),
    clockFile: path.join(root, 'clock'),
  };
}

/** Writes a file readable only by its owner, atomically (a reader sees the old or the new content, never a mix). */
export async function writePrivateFile(file: string, content: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * The clock file's text for a time: RFC 3339 in UTC with milliseconds, or
 * libfaketime's absolute form `@YYYY-MM-DD hh:mm:ss` (UTC: run the bot with
 * TZ=UTC; libfaketime has no sub-second absolute form).
 */
export function clockFileText(time: Date, format: ClockFileFormat): string {
  if (Number.isNaN(time.getTime())) throw new Error('clock file: invalid date');
  const iso = time.toISOString();
  if (format === 'rfc3339') return `${iso}\n`;
  return `@${iso.slice(0, 10)} ${iso.slice(11, 19)}\n`;
}

export async function removeWorkDir(paths: BotPaths): Promise<void> {
  await rm(paths.root, { recursive: true, force: true, maxRetries: 3 });
}
