// Reading a bot's storage directory, for bots that declare `tbot-layout`
// (client notes §3.1): id_bkp (active private key, PEM), id_bkp.pub
// (authorized_keys line), bkp_state (the join state JWT, raw) and
// bkp_key_history.json. Reads only; sizes bounded; every error names the file
// and what was wrong, because a scenario's assertion message is built on it.
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { encodeAuthorizedKey, keyAlgorithmOf, parseAuthorizedKey, parsePrivateKeyPem, publicKeyOf } from '../../reference/crypto/index.js';
import type { KeyAlgorithm } from '../../reference/crypto/index.js';

export const ACTIVE_KEY_FILE = 'id_bkp';
export const PUBLIC_KEY_FILE = 'id_bkp.pub';
export const JOIN_STATE_FILE = 'bkp_state';
export const KEY_HISTORY_FILE = 'bkp_key_history.json';
const MAX_FILE_BYTES = 1024 * 1024;

export interface StorageEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
  /** Permission bits, e.g. 0o600. */
  mode: number;
  size: number;
}

export interface StoredKey {
  algorithm: KeyAlgorithm;
  /** The PEM block label, e.g. `PRIVATE KEY` or `RSA PRIVATE KEY`. */
  pemLabel: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** authorized_keys text of the public half, trimmed. */
  authorizedKey: string;
}

export interface KeyHistoryEntry {
  /** As stored (tbot: RFC 3339 with nanoseconds). */
  time: string;
  key: StoredKey;
}

export class BotStorageError extends Error {
  override name = 'BotStorageError';
}

export function storedKeyFromPem(pem: string, where: string): StoredKey {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  let privateKey: KeyObject;
  try {
    privateKey = parsePrivateKeyPem(pem);
  } catch (e) {
    throw new BotStorageError(`${where}: ${(e as Error).message}`);
  }
  const publicKey = publicKeyOf(privateKey);
  return { algorithm: keyAlgorithmOf(privateKey), pemLabel: label ?? '', privateKey, publicKey, authorizedKey: encodeAuthorizedKey(publicKey) };
}

export class BotStorage {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  /** Every entry directly in the storage directory, sorted by name; symlinks are reported, not followed. */
  async list(): Promise<StorageEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      throw new BotStorageError(`storage ${this.dir}: cannot list it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const entries: StorageEntry[] = [];
    for (const name of names.sort()) {
      const st = await lstat(this.file(name));
      const kind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other';
      entries.push({ name, kind, mode: st.mode & 0o777, size: st.size });
    }
    return entries;
  }

  async exists(name: string): Promise<boolean> {
    try {
      await lstat(this.file(name));
      return true;
    } catch {
      return false;
    }
  }

  /** A regular file's bytes (bounded); undefined when it does not exist. */
  async read(name: string): Promise<Buffer | undefined> {
    const where = `storage ${this.file(name)}`;
    let st;
    try {
      st = await lstat(this.file(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new BotStorageError(`${where}: ${(e as Error).message}`);
    }
    if (!st.isFile()) throw new BotStorageError(`${where}: not a regular file`);
    if (st.size > MAX_FILE_BYTES) throw new BotStorageError(`${where}: ${st.size} bytes, more than the ${MAX_FILE_BYTES} the suite reads`);
    return readFile(this.file(name));
  }

  private async require(name: string): Promise<Buffer> {
    const data = await this.read(name);
    if (data === undefined) throw new BotStorageError(`storage ${this.file(name)}: does not exist`);
    return data;
  }

  /** The active private key (id_bkp). */
  async activeKey(): Promise<StoredKey> {
    const data = await this.require(ACTIVE_KEY_FILE);
    return storedKeyFromPem(data.toString('utf8'), `storage ${this.file(ACTIVE_KEY_FILE)}`);
  }

  /** id_bkp.pub: its exact text and the key it holds. */
  async publicKey(): Promise<{ text: string; key: KeyObject }> {
    const text = (await this.require(PUBLIC_KEY_FILE)).toString('utf8');
    try {
      return { text, key: parseAuthorizedKey(text) };
    } catch (e) {
      throw new BotStorageError(`storage ${this.file(PUBLIC_KEY_FILE)}: ${(e as Error).message}`);
    }
  }

  /** bkp_state as stored (the server's join state JWT); undefined when absent. */
  async joinState(): Promise<string | undefined> {
    return (await this.read(JOIN_STATE_FILE))?.toString('utf8');
  }

  /** bkp_key_history.json entries, newest first as stored; undefined when absent. */
  async keyHistory(): Promise<KeyHistoryEntry[] | undefined> {
    const data = await this.read(KEY_HISTORY_FILE);
    if (data === undefined) return undefined;
    return parseKeyHistory(data.toString('utf8'), `storage ${this.file(KEY_HISTORY_FILE)}`);
  }
}

/** `{"entries":[{"time":"…","private_key":"<PEM>"}, …]}` (client notes §3.1). */
export function parseKeyHistory(text: string, where: string): KeyHistoryEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BotStorageError(`${where}: not JSON: ${(e as Error).message}`);
  }
  const entries = (doc as { entries?: unknown } | null)?.entries;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(entries)) throw new BotStorageError(`${where}: expected an object with an "entries" array`);
  return entries.map((e: unknown, i) => {
    const entry = e as { time?: unknown; private_key?: unknown } | null;
    if (typeof entry?.time !== 'string' || Number.isNaN(Date.parse(entry.time))) throw new BotStorageError(`${where}: entries[${i}].time: expected an RFC 3339 timestamp`);
    if (typeof entry.private_key !== 'string') throw new BotStorageError(`${where}: entries[${i}].private_key: expected a PEM string`);
    return { time: entry.time, key: storedKeyFromPem(entry.private_key, `${where}: entries[${i}].private_key`) };
  });
}
