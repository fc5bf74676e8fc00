// Malformed control API requests, as data: a valid body for a route (a
// template) with one change that makes it invalid by construction (a field
// of the wrong type, an unknown field, a required field removed, a string or
// number outside its format), or a body that is not a document at all, a
// huge body, a wrong media type, a wrong credential, a wrong path or query.
// `toRequest` turns a case into the HTTP request and what must come back.
import { isValidTimestamp } from '../../reference/auth/clock/clock.js';
import { isSignatureAlgorithmSuite } from '../../reference/crypto/index.js';
import { parseGoDuration } from '../../reference/shared/go-duration.js';
import { MAX_ADVANCE_MS, MAX_BODY_BYTES } from '../../reference/auth/control-api/http-server.js';
import type { JsonValue } from './mutations.js';

type Format = 'timestamp' | 'literal' | 'name' | 'suite' | 'signer' | 'duration';
type Doc = { [key: string]: JsonValue };

interface Template {
  method: string;
  path: string;
  body: Doc;
  /** Paths a valid body must have. */
  required: string[];
  /** Object paths ("" is the root) with a fixed set of keys. */
  closed: string[];
  /** String paths with a format, and which. */
  formats: Record<string, Format>;
  /** Numeric paths and values each refuses. */
  badNumbers: Record<string, number[]>;
}

const FUTURE = '2999-01-01T00:00:00Z';
const UINT32_BAD = [-1, 0.5, 2 ** 32, 1e300, -1e300];

/** Every route that reads a body, with a valid one. Names are fixture tokens or unused. */
export const TEMPLATES: Template[] = [
  tokenTemplate('POST', 'tokens', 'x-fz-new'),
  tokenTemplate('PUT', 'tokens/fz-key', 'fz-key'),
  {
    method: 'PUT', path: 'tokens/fz-key/status',
    body: { bound_keypair: { registration_secret: 's', bound_public_key: 'k', bound_bot_instance_id: 'i', recovery_count: 1, last_recovered_at: FUTURE, last_rotated_at: FUTURE } },
    required: [], closed: ['', 'bound_keypair'],
    formats: { 'bound_keypair.last_recovered_at': 'timestamp', 'bound_keypair.last_rotated_at': 'timestamp' },
    badNumbers: { 'bound_keypair.recovery_count': UINT32_BAD },
  },
  {
    method: 'POST', path: 'locks',
    body: { kind: 'lock', version: 'v2', metadata: { name: 'x-fz-lock' }, spec: { target: { join_token: 'x', user: 'u' }, message: 'm', expires: FUTURE, created_at: FUTURE, created_by: 'c' } },
    required: ['kind', 'version', 'spec', 'spec.target'], closed: ['', 'metadata', 'spec', 'spec.target'],
    formats: { kind: 'literal', version: 'literal', 'metadata.name': 'name', 'spec.expires': 'timestamp', 'spec.created_at': 'timestamp' },
    badNumbers: {},
  },
  {
    method: 'POST', path: 'join-states',
    body: { subject: 's', recovery_sequence: 0, recovery_limit: 1, recovery_mode: 'standard', issued_at: FUTURE, signer: 'active', cluster_name: 'c', bot_instance_id: 'i', host_id: 'h' },
    required: ['subject', 'recovery_sequence'], closed: [''],
    formats: { issued_at: 'timestamp', signer: 'signer' },
    badNumbers: { recovery_sequence: UINT32_BAD, recovery_limit: UINT32_BAD },
  },
  {
    method: 'PATCH', path: 'settings',
    body: { stream_timeout_ms: 1_000, signature_algorithm_suite: 'balanced-v1' },
    required: [], closed: [''], formats: { signature_algorithm_suite: 'suite' },
    badNumbers: { stream_timeout_ms: [0, 50, 99, -1, 0.5, 600_001, 1e300] },
  },
  {
    method: 'POST', path: 'clock/advance', body: { duration_ms: 1_000 },
    required: ['duration_ms'], closed: [''], formats: {}, badNumbers: { duration_ms: [-1, 0.5, MAX_ADVANCE_MS + 1, 1e300] },
  },
  { method: 'POST', path: 'clock/advance', body: { duration: '1s' }, required: ['duration'], closed: [''], formats: { duration: 'duration' }, badNumbers: {} },
  { method: 'POST', path: 'clock/set', body: { time: FUTURE }, required: ['time'], closed: [''], formats: { time: 'timestamp' }, badNumbers: {} },
  ...['reset', 'cluster/bound-keypair-ca/rotation', 'tokens/fz-key/rotation-request'].map((path) => ({
    method: 'POST', path, body: {}, required: [], closed: [''], formats: {}, badNumbers: {},
  })),
];

function tokenTemplate(method: string, path: string, name: string): Template {
  return {
    method, path,
    body: {
      kind: 'token', version: 'v2',
      metadata: { name, expires: FUTURE, description: 'd', revision: 'r' },
      spec: {
        roles: ['Bot'], bot_name: 'b', join_method: 'bound_keypair',
        bound_keypair: {
          onboarding: { initial_public_key: 'ssh-ed25519 AAAA', must_register_before: FUTURE },
          recovery: { limit: 1, mode: 'standard' },
          rotate_after: FUTURE,
        },
      },
    },
    required: ['kind', 'version', 'metadata', 'metadata.name', 'spec', 'spec.roles', 'spec.join_method', 'spec.bot_name', 'spec.bound_keypair'],
    closed: ['', 'metadata', 'spec', 'spec.bound_keypair', 'spec.bound_keypair.onboarding', 'spec.bound_keypair.recovery'],
    formats: {
      kind: 'literal', version: 'literal', 'metadata.name': 'name', 'metadata.expires': 'timestamp',
      'spec.bound_keypair.onboarding.must_register_before': 'timestamp', 'spec.bound_keypair.rotate_after': 'timestamp',
    },
    badNumbers: { 'spec.bound_keypair.recovery.limit': UINT32_BAD },
  };
}

export type DocChange =
  | { op: 'wrong-type'; at: number; pick: number; num: number; str: string; arr: JsonValue[]; obj: Doc }
  | { op: 'unknown-field'; at: number; key: string; value: JsonValue }
  | { op: 'remove'; at: number }
  | { op: 'bad-string'; at: number; value: string }
  | { op: 'bad-number'; at: number; pick: number };

export type ControlCase =
  | { kind: 'template'; template: number; change: DocChange; contentType: boolean }
  | { kind: 'not-json'; template: number; text: string }
  | { kind: 'not-object'; template: number; value: JsonValue }
  | { kind: 'huge'; template: number; extra: number }
  | { kind: 'media-type'; template: number; contentType: string }
  | { kind: 'credential'; template: number; authorization: string | null }
  | { kind: 'path'; method: string; path: string }
  | { kind: 'query'; route: string; query: [string, string][] };

export interface ControlRequest {
  method: string;
  /** Below the base path, percent-encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The status class and, when known, the field the error must name. */
  expect: { status?: number; field?: string };
}

export const QUERY_ROUTES = ['bot-instances', 'audit-events', 'join-attempts', 'transcripts', 'tokens', 'capabilities'];

export function toRequest(c: ControlCase, credential: string): ControlRequest {
  const auth = { authorization: `Bearer ${credential}` };
  const json = { 'content-type': 'application/json' };
  switch (c.kind) {
    case 'template': {
      const t = templateAt(c.template);
      const { body, field } = change(t, c.change);
      return { method: t.method, path: t.path, headers: { ...auth, ...(c.contentType ? json : {}) }, body: Buffer.from(JSON.stringify(body)), expect: { field } };
    }
    case 'not-json': {
      const t = templateAt(c.template);
      return { method: t.method, path: t.path, headers: { ...auth, ...json }, body: Buffer.from(notJson(c.text)), expect: { status: 400 } };
    }
    case 'not-object': {
      const t = templateAt(c.template);
      return { method: t.method, path: t.path, headers: { ...auth, ...json }, body: Buffer.from(JSON.stringify(c.value)), expect: { status: 400 } };
    }
    case 'huge': {
      const t = templateAt(c.template);
      return { method: t.method, path: t.path, headers: { ...auth, ...json }, body: Buffer.alloc(MAX_BODY_BYTES + c.extra, 0x20), expect: { status: 413 } };
    }
    case 'media-type': {
      const t = templateAt(c.template);
      return { method: t.method, path: t.path, headers: { ...auth, 'content-type': c.contentType }, body: Buffer.from(JSON.stringify(t.body)), expect: { status: 415 } };
    }
    case 'credential': {
      const t = templateAt(c.template);
      const header: Record<string, string> = c.authorization === null ? {} : { authorization: c.authorization === auth.authorization ? `${c.authorization}x` : c.authorization };
      return { method: t.method, path: t.path, headers: { ...header, ...json }, body: Buffer.from(JSON.stringify(t.body)), expect: { status: 401 } };
    }
    case 'path':
      return { method: c.method, path: c.path, headers: auth, body: Buffer.alloc(0), expect: {} };
    case 'query': {
      const params = new URLSearchParams(c.query).toString();
      return { method: 'GET', path: `${c.route}?${params}`, headers: auth, body: Buffer.alloc(0), expect: { status: 400 } };
    }
  }
}

function templateAt(i: number): Template {
  return TEMPLATES[i % TEMPLATES.length] as Template;
}

/** Text that is surely not JSON, and not blank (a blank body means "no body" on some routes). */
function notJson(text: string): string {
  const candidate = text.trim() === '' ? `{${text}` : text;
  try {
    JSON.parse(candidate);
    return `{${candidate}`;
  } catch {
    return candidate;
  }
}

// ---- applying a change to a template body ------------------------------------------

type Path = (string | number)[];

function change(t: Template, c: DocChange): { body: Doc; field: string } {
  const body = structuredClone(t.body);
  const pick = <T>(list: T[], i: number): T | undefined => list[i % Math.max(1, list.length)];
  switch (c.op) {
    case 'wrong-type': {
      const path = pick(allPaths(body), c.at) ?? [];
      if (path.length === 0) return unknownField(body, [], 'x_wrong', 1);
      const original = get(body, path);
      const candidates: JsonValue[] = [c.num, true, c.str, c.arr, c.obj].filter((v) => jsonType(v) !== jsonType(original));
      setPath(body, path, pick(candidates, c.pick) ?? 42);
      return { body, field: render(path) };
    }
    case 'unknown-field':
      return unknownField(body, parse(pick(t.closed, c.at) ?? ''), `x_${c.key}`, c.value);
    case 'remove': {
      const path = pick(t.required, c.at);
      if (path === undefined) return unknownField(body, [], 'x_removed', 1);
      setPath(body, parse(path), undefined);
      return { body, field: path };
    }
    case 'bad-string': {
      const entry = pick(Object.entries(t.formats), c.at);
      if (!entry) return unknownField(body, [], 'x_string', c.value);
      const [path, format] = entry;
      setPath(body, parse(path), invalidFor(format, c.value, String(get(body, parse(path)))));
      return { body, field: path };
    }
    case 'bad-number': {
      const entry = pick(Object.entries(t.badNumbers), c.at);
      if (!entry) return unknownField(body, [], 'x_number', c.pick);
      const [path, values] = entry;
      setPath(body, parse(path), pick(values, c.pick) ?? -1);
      return { body, field: path };
    }
  }
}

function unknownField(body: Doc, at: Path, key: string, value: JsonValue): { body: Doc; field: string } {
  (get(body, at) as Doc)[key] = value;
  return { body, field: key };
}

/** A string the format refuses, derived from `value`. */
function invalidFor(format: Format, value: string, original: string): string {
  const refused = (v: string) => {
    switch (format) {
      case 'timestamp': return !isValidTimestamp(v) && v !== '';
      case 'literal': return v !== original;
      case 'name': return v.includes('/');
      case 'suite': return !isSignatureAlgorithmSuite(v);
      case 'signer': return v !== 'active' && v !== 'previous' && v !== '';
      case 'duration':
        try {
          parseGoDuration(v);
          return false;
        } catch {
          return true;
        }
    }
  };
  if (refused(value)) return value;
  return format === 'name' ? `${value}/` : refused(`${value}x!`) ? `${value}x!` : 'x!';
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Every path below the root: objects, arrays, their elements and leaves. */
function allPaths(value: JsonValue, path: Path = []): Path[] {
  const below = Array.isArray(value)
    ? value.flatMap((v, i) => allPaths(v, [...path, i]))
    : typeof value === 'object' && value !== null
      ? Object.keys(value).flatMap((k) => allPaths((value as Doc)[k] as JsonValue, [...path, k]))
      : [];
  return path.length === 0 ? below : [path, ...below];
}

function parse(path: string): Path {
  return path === '' ? [] : path.split('.');
}

/** As the server names fields: dots between keys, [i] for array elements. */
function render(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function get(root: JsonValue, path: Path): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const key of path) node = node === null || typeof node !== 'object' ? undefined : (node as Record<string | number, JsonValue>)[key];
  return node;
}

function setPath(root: Doc, path: Path, value: JsonValue | undefined): void {
  const parent = get(root, path.slice(0, -1)) as Record<string | number, JsonValue>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}
