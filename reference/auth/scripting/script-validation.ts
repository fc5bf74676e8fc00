// Strict validation of a script (PUT script): every field is checked against
// an allow-list, and the first problem is refused with 400 naming the field
// (e.g. `faults[2].action.code`). Nothing is applied unless all of it is valid.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { badField } from '../../protocol/errors.js';
import { fieldPath, isFieldMap, objectAt, typeName } from '../validation/fields.js';
import type { FieldMap } from '../validation/fields.js';
import { CLIENT_MESSAGE_TYPES, LIMITS, SERVER_MESSAGE_TYPES } from './script.js';
import type { Fault, FaultAction, FaultPoint, Script } from './script.js';
import { TAMPERABLE, TAMPER_CHANGES } from './tamper.js';

/** gRPC status names a scripted error may carry (OK ends nothing). */
export const GRPC_STATUS_NAMES = Object.keys(GrpcStatus).filter((k) => Number.isNaN(Number(k)) && k !== 'OK');

const ACTION_FIELDS: Record<FaultAction['kind'], readonly string[]> = {
  drop: ['kind'],
  error: ['kind', 'code', 'message'],
  delay: ['kind', 'ms', 'min_ms', 'max_ms'],
  hold: ['kind'],
  unavailable: ['kind'],
  tamper: ['kind', 'change'],
};

export function parseScript(body: FieldMap, randomSeed: () => string): Script {
  const doc = objectAt(body, '', ['seed', 'faults']);
  const seed = doc.seed === undefined ? randomSeed() : boundedString(doc.seed, 'seed', LIMITS.seedLength);
  if (!Array.isArray(doc.faults)) throw badField('faults', doc.faults === undefined ? 'required: a list of faults (may be empty)' : `must be an array, got ${typeName(doc.faults)}`);
  if (doc.faults.length > LIMITS.faults) throw badField('faults', `at most ${LIMITS.faults} faults`);
  const faults = doc.faults.map((f, i) => parseFault(f, `faults[${i}]`));
  const seen = new Set<string>();
  faults.forEach((f, i) => {
    if (seen.has(f.id)) throw badField(`faults[${i}].id`, `duplicate fault id ${JSON.stringify(f.id)}`);
    seen.add(f.id);
  });
  return { seed, faults };
}

function parseFault(value: unknown, path: string): Fault {
  const f = objectAt(value, path, ['id', 'token', 'when', 'times', 'action']);
  const id = boundedString(f.id, fieldPath(path, 'id'), LIMITS.idLength);
  if (!/^[A-Za-z0-9._-]+$/.test(id)) throw badField(fieldPath(path, 'id'), 'may contain only letters, digits, ".", "_" and "-"');
  const fault: Fault = {
    id,
    times: f.times === undefined ? 1 : integer(f.times, fieldPath(path, 'times'), 0, LIMITS.times),
    action: parseAction(f.action, fieldPath(path, 'action')),
  };
  if (f.token !== undefined) fault.token = boundedString(f.token, fieldPath(path, 'token'), 253);
  if (f.when !== undefined) {
    // An outage refuses the stream before anything happens on it; a later refusal is an error fault.
    if (fault.action.kind === 'unavailable') throw badField(fieldPath(path, 'when'), 'not allowed with kind "unavailable", which refuses the stream when it opens; use kind "error" with code "UNAVAILABLE" for a later point');
    fault.when = parseWhen(f.when, fieldPath(path, 'when'));
  }
  if (fault.action.kind === 'tamper') {
    // A change needs a server message of a type it applies to.
    const allowed = TAMPERABLE[fault.action.change];
    const at = fault.when && 'before_server' in fault.when ? fault.when.before_server : undefined;
    if (at === undefined || !allowed.includes(at)) throw badField(fieldPath(path, 'when.before_server'), `change "${fault.action.change}" needs before_server one of ${allowed.join(', ')}`);
  }
  return fault;
}

function parseWhen(value: unknown, path: string): FaultPoint {
  const w = objectAt(value, path, ['after_client', 'before_server', 'occurrence']);
  const occurrence = w.occurrence === undefined ? 1 : integer(w.occurrence, fieldPath(path, 'occurrence'), 1, LIMITS.occurrence);
  if ((w.after_client === undefined) === (w.before_server === undefined)) {
    throw badField(path, 'needs exactly one of after_client or before_server');
  }
  if (w.after_client !== undefined) return { after_client: oneOf(w.after_client, fieldPath(path, 'after_client'), CLIENT_MESSAGE_TYPES), occurrence };
  return { before_server: oneOf(w.before_server, fieldPath(path, 'before_server'), SERVER_MESSAGE_TYPES), occurrence };
}

function parseAction(value: unknown, path: string): FaultAction {
  if (!isFieldMap(value)) throw badField(path, value === undefined ? 'required' : `must be an object, got ${typeName(value)}`);
  const kind = oneOf(value.kind, fieldPath(path, 'kind'), Object.keys(ACTION_FIELDS) as FaultAction['kind'][]);
  const a = objectAt(value, path, ACTION_FIELDS[kind]);
  switch (kind) {
    case 'error':
      return {
        kind,
        code: oneOf(a.code, fieldPath(path, 'code'), GRPC_STATUS_NAMES),
        message: boundedString(a.message, fieldPath(path, 'message'), LIMITS.messageLength),
      };
    case 'delay':
      return parseDelay(a, path);
    case 'tamper':
      return { kind, change: oneOf(a.change, fieldPath(path, 'change'), TAMPER_CHANGES) };
    default:
      return { kind };
  }
}

function parseDelay(a: FieldMap, path: string): FaultAction {
  const max = LIMITS.delayMs;
  if (a.ms !== undefined) {
    if (a.min_ms !== undefined || a.max_ms !== undefined) throw badField(fieldPath(path, 'ms'), 'give either ms or min_ms and max_ms, not both');
    return { kind: 'delay', ms: integer(a.ms, fieldPath(path, 'ms'), 0, max) };
  }
  if (a.min_ms === undefined || a.max_ms === undefined) {
    throw badField(fieldPath(path, a.min_ms === undefined ? 'min_ms' : 'max_ms'), 'required: a delay needs ms, or both min_ms and max_ms');
  }
  const minMs = integer(a.min_ms, fieldPath(path, 'min_ms'), 0, max);
  const maxMs = integer(a.max_ms, fieldPath(path, 'max_ms'), 0, max);
  if (maxMs < minMs) throw badField(fieldPath(path, 'max_ms'), 'must not be less than min_ms');
  return { kind: 'delay', min_ms: minMs, max_ms: maxMs };
}

function boundedString(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string') throw badField(path, value === undefined ? 'required' : `must be a string, got ${typeName(value)}`);
  if (value === '') throw badField(path, 'must not be empty');
  if (value.length > max) throw badField(path, `must be at most ${max} characters`);
  if (/\p{Cc}/u.test(value)) throw badField(path, 'must not contain control characters');
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badField(path, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeName(value);
  throw badField(path, `${value === undefined ? 'required' : `unknown value ${shown}`}; one of ${allowed.join(', ')}`);
}
