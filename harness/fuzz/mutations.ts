// Mutations of an honest join message, as plain data (so fast-check can
// shrink them and print them): change one field's bytes or text, drop it,
// move the message to another oneof case, or damage the compact JWS or the
// authorized_keys line the field carries. Applying one never throws: a
// mutation that does not fit the message leaves it as it was.
import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { JoinRequest } from '../../reference/protocol/messages.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Changes to a compact JWS ("header.payload.signature"). */
export type JwsChange =
  | { kind: 'segment'; segment: 0 | 1; json: JsonValue }
  | { kind: 'claim'; segment: 0 | 1; name: string; value: JsonValue; resign: boolean }
  | { kind: 'signature'; bytes: Uint8Array }
  | { kind: 'segments'; count: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'oversize'; extra: number };

/** Changes to an authorized_keys line ("type base64-blob comment"). */
export type KeyTextChange =
  | { kind: 'type'; value: string }
  | { kind: 'blob-text'; value: string }
  | { kind: 'blob-bytes'; op: 'truncate' | 'flip' | 'append' | 'length-prefix'; at: number; bytes: Uint8Array }
  | { kind: 'crafted'; type: string; fields: Uint8Array[] }
  | { kind: 'whole'; value: string }
  | { kind: 'wrap'; before: string; after: string };

export type Mutation =
  | { op: 'replace'; at: number; value: Uint8Array; asText: string }
  | { op: 'truncate'; at: number; keep: number }
  | { op: 'flip'; at: number; positions: number[]; xor: number }
  | { op: 'append'; at: number; value: Uint8Array }
  | { op: 'remove'; at: number }
  | { op: 'switch-oneof'; to: number }
  | { op: 'jws'; change: JwsChange }
  | { op: 'authorized-key'; change: KeyTextChange }
  | { op: 'client-params'; params: ClientParamsChange };

/** New values for the certificate parameters a BoundKeypairInit asks for. */
export interface ClientParamsChange {
  expires?: { seconds?: string | number; nanos?: number };
  host_name?: string;
  additional_principals?: string[];
  dns_names?: string[];
  /** Bot parameters sent as host parameters, or the other way round. */
  swap?: boolean;
}

export const REQUEST_KINDS = ['client_init', 'token_init', 'bound_keypair_init', 'solution', 'iam_init', 'giving_up', 'ec2_init', 'oracle_init'] as const;
export const SOLUTION_KINDS = ['bound_keypair_challenge_solution', 'bound_keypair_rotation_response', 'iam_challenge_solution', 'oracle_challenge_solution'] as const;

type Path = (string | number)[];
type Node = Record<string, unknown>;

/** `signer`: the key the honest client signed a challenge with, to re-sign a changed JWS. */
export function applyMutation(message: JoinRequest, m: Mutation, signer?: KeyObject): JoinRequest {
  const copy = clone(message) as JoinRequest;
  const leaves = leavesOf(copy);
  const leaf = leaves.length > 0 && 'at' in m ? leaves[m.at % leaves.length] : undefined;
  switch (m.op) {
    case 'replace':
      if (leaf) setAt(copy, leaf.path, typeof leaf.value === 'string' ? m.asText : Buffer.from(m.value));
      return copy;
    case 'truncate':
      if (leaf) setAt(copy, leaf.path, mapBytes(leaf.value, (b) => b.subarray(0, Math.floor(b.length * m.keep))));
      return copy;
    case 'flip':
      if (leaf) setAt(copy, leaf.path, mapBytes(leaf.value, (b) => flip(b, m.positions, m.xor)));
      return copy;
    case 'append':
      if (leaf) setAt(copy, leaf.path, mapBytes(leaf.value, (b) => Buffer.concat([b, m.value])));
      return copy;
    case 'remove':
      if (leaf) setAt(copy, leaf.path, undefined);
      return copy;
    case 'switch-oneof':
      return switchOneof(copy, m.to);
    case 'jws': {
      const target = leaves.find((l) => Buffer.isBuffer(l.value) && isCompactJws(l.value.toString('utf8')));
      if (target) setAt(copy, target.path, Buffer.from(changeJws((target.value as Buffer).toString('utf8'), m.change, signer)));
      return copy;
    }
    case 'client-params':
      changeClientParams(copy, m.params);
      return copy;
    case 'authorized-key': {
      const key = copy.solution?.bound_keypair_rotation_response;
      if (key?.public_key) key.public_key = Buffer.from(changeKeyText(key.public_key.toString('utf8'), m.change));
      return copy;
    }
  }
}

function changeClientParams(message: JoinRequest, change: ClientParamsChange): void {
  const params = message.bound_keypair_init?.client_params;
  if (!params) return;
  if (change.swap) {
    if (params.bot_params) {
      params.host_params = { public_keys: params.bot_params.public_keys ?? {} };
      delete params.bot_params;
    } else if (params.host_params) {
      params.bot_params = { public_keys: params.host_params.public_keys ?? {} };
      delete params.host_params;
    }
  }
  if (params.bot_params && change.expires) params.bot_params.expires = change.expires;
  if (params.host_params) {
    if (change.host_name !== undefined) params.host_params.host_name = change.host_name;
    if (change.additional_principals) params.host_params.additional_principals = change.additional_principals;
    if (change.dns_names) params.host_params.dns_names = change.dns_names;
  }
}

/** Text or bytes leaves of a message, depth first, in key order. */
function leavesOf(value: unknown, path: Path = []): { path: Path; value: string | Buffer }[] {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leavesOf(v, [...path, i]));
  if (typeof value === 'object' && value !== null) return Object.keys(value).flatMap((k) => leavesOf((value as Node)[k], [...path, k]));
  return [];
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let node = root as Node;
  for (const key of path.slice(0, -1)) node = node[key as string] as Node;
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (value === undefined && !Array.isArray(node)) delete node[last as string];
  else node[last as string] = value;
}

function mapBytes(value: string | Buffer, f: (b: Buffer) => Buffer): string | Buffer {
  return typeof value === 'string' ? f(Buffer.from(value, 'utf8')).toString('utf8') : f(value);
}

function flip(bytes: Buffer, positions: number[], xor: number): Buffer {
  const out = Buffer.from(bytes);
  if (out.length === 0) return out;
  for (const p of positions) out[p % out.length] = (out[p % out.length] ?? 0) ^ (xor || 1);
  return out;
}

/** The same contents under another oneof case: a message of the wrong type, or a solution of the wrong kind. */
function switchOneof(message: JoinRequest, to: number): JoinRequest {
  const from = REQUEST_KINDS.find((k) => message[k] !== undefined);
  if (!from) return message;
  if (from === 'solution' && message.solution && to % 2 === 0) {
    const inner = SOLUTION_KINDS.find((k) => message.solution?.[k] !== undefined);
    const target = SOLUTION_KINDS[to % SOLUTION_KINDS.length] as (typeof SOLUTION_KINDS)[number];
    if (!inner || inner === target) return message;
    return { solution: { [target]: message.solution[inner] } } as JoinRequest;
  }
  const target = REQUEST_KINDS[to % REQUEST_KINDS.length] as (typeof REQUEST_KINDS)[number];
  return { [target]: message[from] } as JoinRequest;
}

function isCompactJws(text: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(text);
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function changeJws(compact: string, change: JwsChange, signer: KeyObject | undefined): string {
  const parts = compact.split('.');
  switch (change.kind) {
    case 'segment':
      parts[change.segment] = b64(JSON.stringify(change.json));
      return parts.join('.');
    case 'claim': {
      const decoded = decodeSegment(parts[change.segment] ?? '');
      decoded[change.name] = change.value;
      parts[change.segment] = b64(JSON.stringify(decoded));
      // Re-signed, the signature verifies and the checks behind it are reached.
      if (change.resign && signer) parts[2] = b64(signRaw(`${parts[0]}.${parts[1]}`, signer));
      return parts.join('.');
    }
    case 'signature':
      parts[2] = b64(Buffer.from(change.bytes));
      return parts.join('.');
    case 'segments': {
      const n = change.count;
      return (n <= 3 ? parts.slice(0, n) : [...parts, ...parts.slice(0, n - 3)]).join('.');
    }
    case 'insert': {
      const at = change.at % (compact.length + 1);
      return compact.slice(0, at) + change.text + compact.slice(at);
    }
    case 'oversize':
      return compact + 'A'.repeat(64 * 1024 + change.extra);
  }
}

function decodeSegment(segment: string): Record<string, JsonValue> {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, JsonValue>) : {};
  } catch {
    return {};
  }
}

/** A JWS signature over `input` with the key's own algorithm (EdDSA or ES256). */
function signRaw(input: string, key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ed25519') return sign(null, Buffer.from(input), key);
  return sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
}

export function changeKeyText(line: string, change: KeyTextChange): string {
  const [type = '', blob = '', ...rest] = line.trim().split(/\s+/);
  const join = (t: string, b: string) => [t, b, ...rest].join(' ');
  switch (change.kind) {
    case 'type':
      return join(change.value, blob);
    case 'blob-text':
      return join(type, change.value);
    case 'blob-bytes':
      return join(type, changeBlob(Buffer.from(blob, 'base64'), change).toString('base64'));
    case 'crafted':
      return join(change.type, sshWire([Buffer.from(change.type), ...change.fields.map((f) => Buffer.from(f))]).toString('base64'));
    case 'whole':
      return change.value;
    case 'wrap':
      return `${change.before}${line}${change.after}`;
  }
}

function changeBlob(blob: Buffer, change: Extract<KeyTextChange, { kind: 'blob-bytes' }>): Buffer {
  const at = blob.length === 0 ? 0 : change.at % blob.length;
  switch (change.op) {
    case 'truncate':
      return blob.subarray(0, at);
    case 'flip':
      return flip(blob, [at], change.bytes[0] ?? 0xff);
    case 'append':
      return Buffer.concat([blob, change.bytes]);
    case 'length-prefix': {
      // Overwrite a 4-byte length field (the first is the key type's) with something absurd.
      const out = Buffer.from(blob);
      const where = Math.min(at - (at % 4), Math.max(0, out.length - 4));
      if (out.length >= 4) out.writeUInt32BE(Buffer.concat([Buffer.from(change.bytes), Buffer.alloc(4)]).readUInt32BE(0), where);
      return out;
    }
  }
}

/** SSH wire encoding: each field as a uint32 length and its bytes. */
function sshWire(fields: Buffer[]): Buffer {
  return Buffer.concat(fields.flatMap((f) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(f.length);
    return [len, f];
  }));
}

/** A deep copy that keeps Buffers as Buffers. */
function clone(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(clone);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}
