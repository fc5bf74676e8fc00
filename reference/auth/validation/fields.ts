// Generic checks for fields of decoded request documents, shared by the
// resource validators (tokens, locks) and the control API. Each refusal is a
// BadParameter naming the dotted path of the field at fault; values
// themselves are never echoed, since they may be secrets.
import { TraceError, badField } from '../../protocol/errors.js';
import { isValidTimestamp } from '../clock/clock.js';

export type FieldMap = Record<string, unknown>;

export const MAX_NAME_LENGTH = 253;
export const MAX_UINT32 = 0xffff_ffff;

/** `spec` + `roles` → `spec.roles`; the root path is "". */
export const fieldPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Type names for messages; values themselves are never echoed (they may be secrets). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isFieldMap(value: unknown): value is FieldMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `path`, refusing keys outside `allowed` and naming them. */
export function objectAt(value: unknown, path: string, allowed: readonly string[]): FieldMap {
  if (value === undefined || value === null) throw badField(path || '(document)', 'required');
  if (!isFieldMap(value)) throw badField(path || '(document)', `must be an object, got ${typeName(value)}`);
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  const [first] = unknown;
  if (first !== undefined) {
    if (unknown.length === 1) throw badField(fieldPath(path, first), 'unknown field');
    const names = unknown.map((k) => JSON.stringify(k)).join(', ');
    const where = path ? `${path}: unknown fields` : 'unknown top-level fields';
    throw new TraceError('BadParameter', `${where} ${names}`, undefined, fieldPath(path, first));
  }
  return value;
}

/** Absent and null both mean "not set", as a nil pointer does in Go. */
export function optionalString(obj: FieldMap, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badField(fieldPath(path, key), `must be a string, got ${typeName(value)}`);
  return value;
}

/** RFC 3339; "" is treated as unset, like Go's zero time. */
export function optionalTimestamp(obj: FieldMap, key: string, path: string): string | undefined {
  const value = optionalString(obj, key, path);
  if (value === undefined || value === '') return undefined;
  if (!isValidTimestamp(value)) throw badField(fieldPath(path, key), 'must be an RFC 3339 timestamp, e.g. 2025-01-02T15:04:05Z');
  return value;
}

export function optionalUint32(obj: FieldMap, key: string, path: string): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw badField(fieldPath(path, key), 'must be a non-negative integer');
  }
  if (value > MAX_UINT32) throw badField(fieldPath(path, key), `must be at most ${MAX_UINT32} (uint32)`);
  return value;
}

/** Teleport-ish resource names: non-empty, no "/", at most 253 characters, addressable in a URL path. */
export function resourceName(value: unknown, path: string): string {
  if (value === undefined || value === null || value === '') throw badField(path, 'required');
  if (typeof value !== 'string') throw badField(path, `must be a string, got ${typeName(value)}`);
  if (value.length > MAX_NAME_LENGTH) throw badField(path, `must be at most ${MAX_NAME_LENGTH} characters`);
  if (value.includes('/')) throw badField(path, 'must not contain "/"');
  if (value === '.' || value === '..') throw badField(path, 'must not be "." or ".."');
  if (/[\s\p{Cc}]/u.test(value)) throw badField(path, 'must not contain whitespace or control characters');
  return value;
}

/** A top-level field that must hold exactly `want` (e.g. `kind: token`). */
export function requireLiteral(obj: FieldMap, key: string, want: string): void {
  const value = obj[key];
  if (value === undefined || value === null) throw badField(key, `required (must be "${want}")`);
  if (value !== want) throw badField(key, `must be "${want}"`);
}

/** Copies only the keys whose value is defined, so output has no `undefined` holes. */
export function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
