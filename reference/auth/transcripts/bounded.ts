// Transcripts keep what clients sent for hundreds of streams, so every value
// that goes into one is cut to a bounded size: long strings are shortened,
// large arrays and objects cut, deep nesting flattened. Client text is also
// made printable (it ends up in JSON shown to people).
import { sanitise } from '../join/receive.js';

export const MAX_STRING = 512;
const MAX_ITEMS = 32;
const MAX_DEPTH = 5;

/** A JSON-safe copy of `value` with every dimension bounded. */
export function bounded(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return sanitise(value, MAX_STRING);
  if (typeof value === 'bigint') return value.toString();
  if (depth >= MAX_DEPTH) return '<nested too deep>';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => bounded(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`<${value.length - MAX_ITEMS} more>`);
    return items;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries.slice(0, MAX_ITEMS)) out[sanitise(k, 64)] = bounded(v, depth + 1);
    if (entries.length > MAX_ITEMS) out['<more keys>'] = entries.length - MAX_ITEMS;
    return out;
  }
  return `<${typeof value}>`;
}

/** Client-supplied text, printable and short. */
export const text = (value: string | undefined): string | undefined => (value === undefined ? undefined : sanitise(value, MAX_STRING));

/** The placeholder for bytes a transcript does not keep. */
export const sized = (what: string, bytes: Buffer | undefined): string => `<${what}: ${bytes?.length ?? 0} bytes>`;
