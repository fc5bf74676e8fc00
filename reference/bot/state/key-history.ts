// `bkp_key_history.json`: the bot's previous private keys, newest first, so
// that it can still answer a challenge for an older key after a cluster
// rollback (W-9) or after a rotation whose result it never received. tbot's
// JSON shape, byte-compatible in both directions:
//   {"entries":[{"time":"2026-11-25T12:00:00.123456789Z","private_key":"-----BEGIN PRIVATE KEY-----\n…"}]}
import { badParameter } from '../../protocol/errors.js';

export const KEY_HISTORY_ITEM = 'bkp_key_history.json';

/** tbot's KeyHistoryLength: how many keys the history keeps. */
export const KeyHistoryLength = 10;

export interface KeyHistoryEntry {
  /** When the key was generated, RFC 3339 as Go writes it; kept verbatim from a file we read. */
  time: string;
  privateKeyPem: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time as Go's time.Time marshals to JSON (RFC3339Nano, UTC): the
 * fraction has trailing zeros removed and is left out when zero. Our clock
 * has millisecond resolution, so we write at most three digits; Go reads
 * that back exactly, and a tbot-written entry's nanoseconds are kept as read.
 */
export function formatGoTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('formatting key history time: invalid date');
  const iso = d.toISOString(); // 2026-11-25T12:00:00.120Z
  const [whole = '', fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${whole}Z` : `${whole}.${trimmed}Z`;
}

/** A new history with `entry` first, trimmed to KeyHistoryLength. */
export function prependEntry<T>(entries: readonly T[], entry: T): T[] {
  return [entry, ...entries].slice(0, KeyHistoryLength);
}

export function encodeKeyHistory(entries: readonly KeyHistoryEntry[]): Buffer {
  const body = { entries: entries.slice(0, KeyHistoryLength).map((e) => ({ time: e.time, private_key: e.privateKeyPem })) };
  return Buffer.from(JSON.stringify(body));
}

/**
 * Parses the history file. Throws (BadParameter, `parsing key history: …`)
 * when the document is not the expected shape; the loader turns that into a
 * warning (C-LD-4). Keys are not parsed here (fs-client-state.ts does).
 * Entries beyond KeyHistoryLength are dropped: the file is bounded on read too.
 */
export function decodeKeyHistory(bytes: Buffer): KeyHistoryEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw badParameter(`parsing key history: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw badParameter('parsing key history: expected a JSON object');
  // Go decodes a missing or null slice as empty.
  const raw = (doc as Record<string, unknown>)['entries'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badParameter('parsing key history: "entries" must be an array');
  return raw.slice(0, KeyHistoryLength).map((item: unknown, i): KeyHistoryEntry => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw badParameter(`parsing key history: entry ${i} is not an object`);
    const { time, private_key: privateKey } = item as Record<string, unknown>;
    if (typeof time !== 'string' || !RFC3339.test(time) || Number.isNaN(new Date(time).getTime())) {
      throw badParameter(`parsing key history: entry ${i} has no RFC 3339 "time"`);
    }
    if (typeof privateKey !== 'string' || privateKey.trim() === '') throw badParameter(`parsing key history: entry ${i} has no "private_key"`);
    return { time, privateKeyPem: privateKey };
  });
}
