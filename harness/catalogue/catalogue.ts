// The requirement catalogue (features/requirements.yaml): loading, schema
// validation and the cross-field rules a JSON Schema cannot express (unique
// ids, id prefix equals area, area declared, replaced_by resolves).
//
// Every problem is reported as `<file>:<line>: <message>` so that an editor
// can jump to it; line numbers come from the YAML document's node ranges.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_CATALOGUE_PATH = fileURLToPath(new URL('../../features/requirements.yaml', import.meta.url));
export const CATALOGUE_SCHEMA_PATH = fileURLToPath(new URL('./catalogue.schema.json', import.meta.url));

/** A well-formed requirement id: `BKP-<AREA>-<NNN>`. */
export const REQUIREMENT_ID_PATTERN = /^BKP-[A-Z]{2,4}-\d{3}$/;

export type RequirementLevel = 'MUST' | 'SHOULD' | 'MAY';

export type GrpcStatusName =
  | 'OK' | 'CANCELLED' | 'UNKNOWN' | 'INVALID_ARGUMENT' | 'DEADLINE_EXCEEDED' | 'NOT_FOUND'
  | 'ALREADY_EXISTS' | 'PERMISSION_DENIED' | 'RESOURCE_EXHAUSTED' | 'FAILED_PRECONDITION'
  | 'ABORTED' | 'OUT_OF_RANGE' | 'UNIMPLEMENTED' | 'INTERNAL' | 'UNAVAILABLE' | 'DATA_LOSS'
  | 'UNAUTHENTICATED';

export type ErrorKindName =
  | 'AccessDenied' | 'BadParameter' | 'NotFound' | 'NotImplemented' | 'LimitExceeded'
  | 'CompareFailed' | 'AlreadyExists' | 'ConnectionProblem' | 'Unauthenticated' | 'Internal';

export interface Area {
  title: string;
  description?: string;
}

/** One requirement as written in the YAML (what the schema validates). */
export interface RequirementEntry {
  id: string;
  area: string;
  level: RequirementLevel;
  statement: string;
  source: string;
  errors?: string[];
  grpc_status?: GrpcStatusName;
  error_kind?: ErrorKindName;
  notes?: string;
  retired?: boolean;
  replaced_by?: string[];
}

export interface Requirement extends RequirementEntry {
  /** 1-based line of the requirement in the catalogue file (0 if unknown). */
  line: number;
}

interface CatalogueFile {
  version: 1;
  areas: Record<string, Area>;
  requirements: RequirementEntry[];
}

export interface Catalogue {
  /** Path the catalogue was read from, as given (or `<inline>`). */
  path: string;
  version: 1;
  /** sha256 (hex) of the file bytes. */
  hash: string;
  areas: Readonly<Record<string, Area>>;
  /** All requirements in file order, retired ones included. */
  requirements: readonly Requirement[];
  byId: ReadonlyMap<string, Requirement>;
}

export interface CatalogueProblem {
  line: number;
  message: string;
}

/** Thrown when the catalogue cannot be read, parsed or validated. */
export class CatalogueError extends Error {
  readonly path: string;
  readonly problems: readonly CatalogueProblem[];

  constructor(path: string, problems: CatalogueProblem[]) {
    const lines = problems.map((p) => `${path}:${p.line}: ${p.message}`);
    super(`invalid requirement catalogue ${path}:\n  ${lines.join('\n  ')}`);
    this.name = 'CatalogueError';
    this.path = path;
    this.problems = problems;
  }
}

let cachedValidator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (cachedValidator === undefined) {
    const schema = JSON.parse(readFileSync(CATALOGUE_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: true });
    cachedValidator = ajv.compile(schema);
  }
  return cachedValidator;
}

/** The area code of a well-formed id (`BKP-ONB-001` → `ONB`), else undefined. */
export function areaOfId(id: string): string | undefined {
  return REQUIREMENT_ID_PATTERN.test(id) ? id.split('-')[1] : undefined;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 (hex) of the catalogue file's bytes, for run manifests. */
export function catalogueHash(path: string = DEFAULT_CATALOGUE_PATH): string {
  return sha256Hex(readFileSync(path));
}

function lineOf(doc: Document, counter: LineCounter, path: readonly (string | number)[]): number {
  // Walk up until a node with a range is found (a missing property points at its parent).
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

function pathOf(error: ErrorObject): (string | number)[] {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'catalogue' : error.instancePath.slice(1).replace(/\//g, '.');
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field "${String(error.params.additionalProperty)}"`;
    case 'required':
      return `${where}: missing required field "${String(error.params.missingProperty)}"`;
    case 'enum':
      return `${where}: must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return `${where}: ${where.endsWith('.id') || where.includes('replaced_by') ? 'requirement id' : 'value'} does not match ${String(error.params.pattern)}`;
    case 'propertyNames':
      return `${where}: area code ${JSON.stringify(error.params.propertyName)} does not match ^[A-Z]{2,4}$`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

/**
 * Parse and validate catalogue text. Throws CatalogueError listing every
 * problem found (schema problems first, then cross-field rules).
 */
export function parseCatalogue(text: string, path = '<inline>'): Catalogue {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CatalogueError(
      path,
      doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? 1, message: `YAML: ${e.message.split('\n')[0] ?? e.message}` })),
    );
  }
  const data: unknown = doc.toJS();

  const validate = schemaValidator();
  if (!validate(data)) {
    const problems = (validate.errors ?? [])
      // propertyNames reports twice (the name and the wrapper); keep the useful one.
      .filter((e) => !(e.keyword === 'pattern' && e.propertyName !== undefined))
      .map((e) => ({ line: lineOf(doc, counter, pathOf(e)), message: describeSchemaError(e) }));
    throw new CatalogueError(path, dedupe(problems));
  }

  const file = data as CatalogueFile;
  const problems: CatalogueProblem[] = [];
  const requirements: Requirement[] = file.requirements.map((entry, index) => ({
    ...entry,
    line: lineOf(doc, counter, ['requirements', index]),
  }));

  const byId = new Map<string, Requirement>();
  for (const req of requirements) {
    const first = byId.get(req.id);
    if (first !== undefined) {
      problems.push({ line: req.line, message: `${req.id}: duplicate id (first defined at line ${first.line})` });
      continue;
    }
    byId.set(req.id, req);
    const prefix = areaOfId(req.id);
    if (prefix !== req.area) {
      problems.push({ line: req.line, message: `${req.id}: id area prefix "${prefix ?? '?'}" does not match area "${req.area}"` });
    }
    if (!Object.hasOwn(file.areas, req.area)) {
      problems.push({ line: req.line, message: `${req.id}: area "${req.area}" is not declared under areas:` });
    }
  }
  for (const req of requirements) {
    for (const target of req.replaced_by ?? []) {
      if (target === req.id) {
        problems.push({ line: req.line, message: `${req.id}: replaced_by names the requirement itself` });
      } else if (!byId.has(target)) {
        problems.push({ line: req.line, message: `${req.id}: replaced_by names unknown requirement ${target}` });
      }
    }
  }
  if (problems.length > 0) throw new CatalogueError(path, problems);

  return {
    path,
    version: file.version,
    hash: sha256Hex(text),
    areas: file.areas,
    requirements,
    byId,
  };
}

/** Read, parse and validate the catalogue file (default: features/requirements.yaml). */
export function loadCatalogue(path: string = DEFAULT_CATALOGUE_PATH): Catalogue {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CatalogueError(path, [{ line: 0, message: `cannot read catalogue: ${(err as Error).message}` }]);
  }
  const catalogue = parseCatalogue(bytes.toString('utf8'), path);
  return { ...catalogue, hash: sha256Hex(bytes) };
}

/** Requirements that are in force (not retired). */
export function activeRequirements(catalogue: Catalogue): Requirement[] {
  return catalogue.requirements.filter((r) => r.retired !== true);
}

function dedupe(problems: CatalogueProblem[]): CatalogueProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
