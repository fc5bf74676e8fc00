// Pre-flight's client of the control API: GET health, capabilities and
// cluster, each with a timeout, a bounded body and the contract's schema.
// Unlike the suite's own client it never hands back a half-understood
// answer: every surprise — a refused connection, a slow answer, an error
// status, a body that is not JSON or breaks the contract, the wrong protocol
// — is a configuration error naming the URL and, for bodies, the field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { configurationError } from '../target/errors.js';
import { fieldPath, PROJECT_ROOT } from '../target/schema.js';

export const CONTROL_API_VERSION = 'conformance/v1';
export const PROTOCOL_VERSION = 'teleport.join.v1';
const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_BODY_BYTES = 1024 * 1024;

export type Json = Record<string, unknown>;

export interface ProbeResult {
  capabilities: Json;
  cluster: Json;
  /** What scenarios may need: features, plus clock-control and role-<Role> (as steps/support/hooks.ts gates them). */
  features: Set<string>;
}

let validators: Map<string, ValidateFunction> | undefined;

function validator(name: 'capabilities' | 'cluster'): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validators = new Map();
    for (const n of ['capabilities', 'cluster'] as const) {
      const file = path.join(PROJECT_ROOT, `docs/contract/control-api/${n}.schema.json`);
      validators.set(n, ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object));
    }
  }
  return validators.get(name) as ValidateFunction;
}

/** Why a fetch failed, in words: a timeout, a refused connection, an unknown host. */
function networkFailure(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens there';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  return `cannot connect: ${code ?? e.cause?.message ?? e.message}`;
}

async function boundedText(res: Response, url: string): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw configurationError(url, `the answer is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorText(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: { kind?: string; message?: string } }).error;
    if (e?.kind || e?.message) return `${e.kind ?? 'error'}: ${e.message ?? ''}`.trim();
  } catch {
    // Not the contract's error body; show the start of whatever it is.
  }
  return body.slice(0, 200) || '(empty body)';
}

export class ControlProbe {
  private readonly base: string;

  constructor(
    controlUrl: string,
    private readonly credential: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.base = controlUrl.endsWith('/') ? controlUrl : `${controlUrl}/`;
  }

  /** GET a route; the parsed JSON body of a 200 answer, or a configuration error naming the URL. */
  async get(route: string, authenticated = true): Promise<unknown> {
    const url = new URL(route, this.base).toString();
    let res: Response;
    let body: string;
    try {
      res = await fetch(url, {
        headers: authenticated ? { authorization: `Bearer ${this.credential}` } : {},
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await boundedText(res, url);
    } catch (err) {
      if (err instanceof Error && err.name === 'ConfigurationError') throw err;
      throw configurationError(url, networkFailure(err, this.timeoutMs));
    }
    if (res.status === 401) throw configurationError(url, `401: the control API refused the credential (${errorText(body)}); check control_api.credential_env or credential_file`);
    if (res.status !== 200) throw configurationError(url, `answered ${res.status} (${errorText(body)})`);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw configurationError(url, `answered 200 with a body that is not JSON: ${body.slice(0, 200)}`);
    }
  }

  private validated(route: 'capabilities' | 'cluster', body: unknown): Json {
    const v = validator(route);
    if (!v(body)) {
      const first = v.errors?.[0];
      const field = first ? `${route}${fieldPath(first.instancePath) === '(top level)' ? '' : `.${fieldPath(first.instancePath)}`}` : route;
      const detail = (v.errors ?? []).map((e) => `${fieldPath(e.instancePath)} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : ''}`).slice(0, 5).join('; ');
      throw configurationError(new URL(route, this.base).toString(), `the answer breaks docs/contract/control-api/${route}.schema.json at ${field}: ${detail}`);
    }
    return body as Json;
  }

  /** health, then capabilities (version, protocol, bound_keypair), then cluster. */
  async probe(): Promise<ProbeResult> {
    await this.get('health', false);
    const raw = await this.get('capabilities');
    const where = new URL('capabilities', this.base).toString();
    // The versions first: a server of another contract version fails the schema too, but this says why.
    const versions = (raw ?? {}) as Json;
    if (versions.control_api_version !== CONTROL_API_VERSION) {
      throw configurationError(where, `control_api_version is ${JSON.stringify(versions.control_api_version)}; this suite speaks ${CONTROL_API_VERSION}`);
    }
    if (versions.protocol_version !== PROTOCOL_VERSION) {
      throw configurationError(where, `protocol_version is ${JSON.stringify(versions.protocol_version)}; this suite tests ${PROTOCOL_VERSION}`);
    }
    // A deliberately broken variant (docs/mutants.md) is never the subject of a conformance claim.
    if (versions.mutant !== undefined) {
      throw configurationError(where, `the target runs mutant ${JSON.stringify(versions.mutant)}, a deliberately broken variant that exists to test this suite (docs/mutants.md); no conformance claim can come from it. Start it without BKP_MUTANT.`);
    }
    const capabilities = this.validated('capabilities', raw);
    if (!(capabilities.join_methods as string[]).includes('bound_keypair')) {
      throw configurationError(where, 'join_methods does not include bound_keypair');
    }
    const cluster = this.validated('cluster', await this.get('cluster'));
    const features = new Set<string>(capabilities.features as string[]);
    if (capabilities.clock_control === true) features.add('clock-control');
    for (const role of capabilities.roles as string[]) features.add(`role-${role}`);
    return { capabilities, cluster, features };
  }
}
