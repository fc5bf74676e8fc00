// Crash-safe replacement of one file. A reader (or the bot after a crash or
// power loss) sees either the old content or the new content, never a mix or
// an empty file:
//   1. write the data to a fresh temporary file in the SAME directory (a
//      rename is only atomic within one file system);
//   2. fsync the temporary file, so its bytes are on disk before its name is;
//   3. rename it over the target (atomic on POSIX);
//   4. fsync the directory, so the rename itself survives a power loss.
// Files are created owner-only (0600) because they hold private keys; the
// storage directory is created owner-only (0700) when it is missing.
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { mutantActive } from '../../mutants/switch.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

/** Temporary files start with this prefix, so item names (which may not start with '.') never collide with them. */
export const TEMP_FILE_PREFIX = '.tmp-';

/** Creates `dir` (and missing parents) owner-only; an existing directory is left as it is. */
export async function ensurePrivateDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  } catch (err) {
    throw new Error(`creating storage directory ${dir}: ${errorText(err)}`, { cause: err });
  }
}

/** Atomically replaces `target` with `data` (mode 0600). The directory must exist. */
export async function writeFileAtomic(target: string, data: Buffer | string): Promise<void> {
  // Mutant: bot-non-atomic-state-write rewrites the item in place.
  if (mutantActive('bot-non-atomic-state-write')) return writeFile(target, data, { mode: PRIVATE_FILE_MODE });
  const dir = path.dirname(target);
  const temp = path.join(dir, `${TEMP_FILE_PREFIX}${path.basename(target)}-${randomBytes(6).toString('hex')}`);
  let renamed = false;
  try {
    // 'wx': fail rather than follow or reuse anything already at the temp name.
    // Mutant: bot-storage-group-readable lets the group read every item.
    const handle = await open(temp, 'wx', mutantActive('bot-storage-group-readable') ? 0o640 : PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    renamed = true;
    await syncDirectory(dir);
  } catch (err) {
    if (!renamed) await unlink(temp).catch(() => {});
    throw new Error(`writing ${target}: ${errorText(err)}`, { cause: err });
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
