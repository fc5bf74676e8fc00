// The target schema (docs/contract/target.schema.json), compiled once, and
// its errors as one line each naming the YAML path of the field at fault
// (`launch.ready.timeout: must match pattern …`), so that a broken target
// file is fixed in one go rather than by trial and error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

export const PROJECT_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TARGET_SCHEMA_FILE = path.join(PROJECT_ROOT, 'docs/contract/target.schema.json');

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  validate ??= new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(TARGET_SCHEMA_FILE, 'utf8')) as object);
  return validate;
}

/** The schema's complaints about a parsed target document, one line each; empty when it is valid. */
export function targetSchemaErrors(doc: unknown): string[] {
  const v = validator();
  return v(doc) ? [] : schemaErrors(v.errors ?? [], doc);
}

/** `/bot/operations/join_once/argv/0` → `bot.operations.join_once.argv[0]`. */
export function fieldPath(instancePath: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(top level)';
}

function child(at: string, name: unknown): string {
  return at === '(top level)' ? String(name) : `${at}.${String(name)}`;
}

/** Which setting forbids a field: the `false` branches of the schema hang off the role or the launch mode. */
function forbiddenBy(at: string, doc: unknown): string {
  const d = (doc ?? {}) as { role?: unknown; launch?: { mode?: unknown } };
  if (at.startsWith('launch.')) return `launch.mode ${JSON.stringify(d.launch?.mode)}`;
  return `role ${JSON.stringify(d.role)}`;
}

function describe(e: ErrorObject, doc: unknown): string {
  const at = fieldPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return `${child(at, p.missingProperty)}: missing required field`;
    case 'additionalProperties': return `${child(at, p.additionalProperty)}: unknown field`;
    case 'enum': return `${at}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `${at}: must be ${JSON.stringify(p.allowedValue)}`;
    // The schema's `false` branches are the fields one role or launch mode does not take.
    case 'false schema': return `${at}: not allowed with ${forbiddenBy(at, doc)}`;
    default: return `${at}: ${e.message ?? e.keyword}`;
  }
}

/** Schema errors as one line each; the if/then and oneOf wrappers are left out (their causes are listed). */
export function schemaErrors(errors: readonly ErrorObject[], doc?: unknown): string[] {
  const lines = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf').map((e) => describe(e, doc));
  return [...new Set(lines)];
}
