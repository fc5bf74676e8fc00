// Placeholders that feature files use where a literal value cannot be
// written down in advance:
//   <public key of "alice">     the bot client's current public key (authorized_keys)
//   <now>, <now + 5m>, <now - 1h> the server's clock, RFC 3339
//   <bound bot instance of "robot-token">  the bot instance the token's status names now
//   <public key printed by the bot>  the key the bot under test's latest keypair creation printed
//   <registration secret of "robot-token">  the registration secret the token's status holds now
//   <unset>                       (in expectations) the field is absent or empty
//   <set>                         (in expectations) the field has a non-empty value
//   <64 lowercase hex>            (in expectations) a generated registration secret
import type { BkpWorld } from './world.js';
import { boundKeypairStatus } from './server-state.js';
import { lastPrintedKey, tokenSecret } from './bot-scene.js';

const PUBLIC_KEY = /<public key of "([^"]+)">/g;
const BOUND_INSTANCE = /<bound bot instance of "([^"]+)">/g;
const PRINTED_KEY = '<public key printed by the bot>';
const SECRET = /<registration secret of "([^"]+)">/g;
const NOW = /<now(?:\s*([+-])\s*(\d+)(ms|s|m|h|d))?>/g;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export async function resolvePlaceholders(world: BkpWorld, text: string): Promise<string> {
  let out = text.replace(PUBLIC_KEY, (_, name: string) => {
    const key = world.client(name).keys[0];
    if (!key) throw new Error(`bot client "${name}" holds no key`);
    return key.authorizedKey;
  });
  if (NOW.test(out)) {
    const now = (await world.serverNow()).getTime();
    out = out.replace(NOW, (_, sign?: string, amount?: string, unit?: string) => {
      const offset = sign && amount && unit ? Number(amount) * (UNIT_MS[unit] ?? 0) * (sign === '-' ? -1 : 1) : 0;
      return formatRfc3339(new Date(now + offset));
    });
  }
  NOW.lastIndex = 0;
  if (out.includes(PRINTED_KEY)) out = out.replaceAll(PRINTED_KEY, lastPrintedKey(world));
  for (const token of new Set([...out.matchAll(SECRET)].map((m) => m[1] as string))) {
    out = out.replaceAll(`<registration secret of "${token}">`, await tokenSecret(world, token));
  }
  for (const token of new Set([...out.matchAll(BOUND_INSTANCE)].map((m) => m[1] as string))) {
    const instance = String(boundKeypairStatus(await world.control.getToken(token)).bound_bot_instance_id ?? '');
    out = out.replaceAll(`<bound bot instance of "${token}">`, instance);
  }
  return out;
}

/** A table value as a feature writes it: placeholders resolved, whole numbers as numbers, [a, b] as a JSON list. */
export async function typedValue(world: BkpWorld, raw: string): Promise<unknown> {
  const text = await resolvePlaceholders(world, raw);
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text.startsWith('[')) return JSON.parse(text);
  return text;
}

export function formatRfc3339(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Compares an actual field value with an expectation written in a feature file. */
export function matchesExpectation(actual: unknown, expected: string): boolean {
  const empty = actual === undefined || actual === null || actual === '' || actual === 0;
  switch (expected) {
    case '<unset>': return empty;
    case '<set>': return !empty;
    case '<64 lowercase hex>': return typeof actual === 'string' && /^[0-9a-f]{64}$/.test(actual);
    default:
      if (typeof actual === 'number') return String(actual) === expected;
      if (typeof actual === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(expected) && /^\d{4}-\d{2}-\d{2}T/.test(actual)) {
        return new Date(actual).getTime() === new Date(expected).getTime();
      }
      return String(actual ?? '') === expected;
  }
}

export function getPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur: Record<string, unknown> = obj;
  for (const part of parts.slice(0, -1)) {
    if (typeof cur[part] !== 'object' || cur[part] === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}
