// The bot's internal storage: a directory of named items (tbot's `storage:`
// destination of type directory). Items are the bound keypair files
// (fs-client-state.ts) and the bot identity (identity/identity-store.ts).
// Every write is atomic (atomic-write.ts); reads are bounded in size.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrivateDirectory, errorText, writeFileAtomic } from './atomic-write.js';

export interface BotStorage {
  /** Where the items live, for messages (the directory path). */
  readonly location: string;
  /** An item's bytes; undefined when it does not exist. Any other failure throws, naming the path. */
  read(name: string): Promise<Buffer | undefined>;
  /** Replaces an item atomically (mode 0600), creating the directory (0700) if needed. */
  write(name: string, data: Buffer | string): Promise<void>;
}

/** Far above any legitimate item (a 10-key RSA-8192 history is about 70 KiB). */
export const MAX_ITEM_BYTES = 1024 * 1024;

// Item names are plain file names: no separators, no leading dot (temporary
// files use one), nothing that could step out of the directory.
const ITEM_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

function checkItemName(name: string): void {
  if (!ITEM_NAME.test(name)) {
    throw new Error(`invalid storage item name "${name.slice(0, 100)}": use letters, digits, '.', '_' and '-', not starting with '.'`);
  }
}

/**
 * The directory a `--storage` value names: a plain path, or a `file://` URI
 * as tbot accepts it (`file:///var/lib/teleport/bot`; `file:relative/dir`
 * for a relative path). Other schemes (tbot's `memory://`,
 * `kubernetes-secret://`) are not supported by this reference bot.
 */
export function storageDirectory(pathOrUri: string): string {
  if (pathOrUri.trim() === '') throw new Error('a storage path must not be empty');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(pathOrUri)?.[1];
  // A one-letter "scheme" is a Windows drive letter, i.e. a plain path.
  if (scheme === undefined || scheme.length === 1) return pathOrUri;
  if (scheme.toLowerCase() !== 'file') {
    throw new Error(`unsupported storage URI scheme "${scheme}": only a directory (a path or a file:// URI) is supported`);
  }
  if (!pathOrUri.startsWith('file://')) return decodeURIComponent(pathOrUri.slice('file:'.length));
  let url: URL;
  try {
    url = new URL(pathOrUri);
  } catch {
    throw new Error(`invalid storage URI "${pathOrUri}"`);
  }
  if (url.host !== '' && url.host !== 'localhost') {
    throw new Error(`storage URI "${pathOrUri}" names host "${url.host}": use file:///absolute/path or file:relative/path`);
  }
  if (url.search !== '' || url.hash !== '') throw new Error(`storage URI "${pathOrUri}" must not carry a query or a fragment`);
  return fileURLToPath(`file://${url.pathname}`);
}

/** Storage in a directory given as a path or a `file://` URI. */
export function directoryStorage(pathOrUri: string): BotStorage {
  const dir = path.resolve(storageDirectory(pathOrUri));
  const itemPath = (name: string) => {
    checkItemName(name);
    return path.join(dir, name);
  };
  return {
    location: dir,
    async read(name) {
      const file = itemPath(name);
      try {
        return await readBoundedFile(file, MAX_ITEM_BYTES);
      } catch (err) {
        throw new Error(`reading ${file}: ${errorText(err)}`, { cause: err });
      }
    },
    async write(name, data) {
      const target = itemPath(name);
      const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (size > MAX_ITEM_BYTES) throw new Error(`writing ${target}: ${size} bytes is more than the ${MAX_ITEM_BYTES}-byte limit`);
      await ensurePrivateDirectory(dir);
      await writeFileAtomic(target, data);
    },
  };
}

/**
 * A file's bytes, at most `maxBytes`; undefined when it does not exist. Other
 * failures (not a regular file, too large, unreadable) throw, unprefixed.
 */
export async function readBoundedFile(file: string, maxBytes: number): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > maxBytes) throw new Error(`${stat.size} bytes is more than the ${maxBytes}-byte limit`);
    // One byte more than the size stat saw, so a file that grew meanwhile is noticed.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > stat.size) throw new Error('the file changed while it was being read');
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
