// The suite's client for the control API (docs/control-api.md). Every
// response body is validated against the contract's JSON Schema, so every
// run also checks that the implementation under test honours the contract.
// Calls are recorded for evidence in reports.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

const schemaDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/contract/control-api');

export type Json = Record<string, unknown>;

export interface ControlCall {
  method: string;
  path: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
}

export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { kind?: string; message?: string; field?: string } } | undefined,
    readonly call: string,
  ) {
    super(`${call} answered ${status}: ${body?.error?.message ?? JSON.stringify(body)}`);
  }
}

/** One join stream as the server saw it (docs/contract/control-api/transcript-list.schema.json). */
export interface Transcript {
  id: number;
  token_name?: string;
  peer: string;
  authenticated: boolean;
  client_certificate?: { subject: string; issuer?: string; not_after?: string };
  started_at: string;
  ended_at?: string;
  messages: { direction: 'client' | 'server'; type: string; at: string; fields: Json }[];
  messages_omitted?: number;
  end?: { code: string; message: string };
  faults: string[];
}

/** The script in force (docs/contract/control-api/script.schema.json). */
export interface ScriptView {
  seed: string;
  faults: (Json & { id: string; fired: number; held: number })[];
}

let validators: Map<string, ValidateFunction> | undefined;

function validator(schema: string): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validators = new Map();
    const files = readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'));
    for (const f of files) ajv.addSchema(JSON.parse(readFileSync(path.join(schemaDir, f), 'utf8')), f);
    for (const f of files) validators.set(f, ajv.getSchema(f) as ValidateFunction);
  }
  const v = validators.get(schema);
  if (!v) throw new Error(`no contract schema ${schema} in ${schemaDir}`);
  return v;
}

export class ControlClient {
  readonly calls: ControlCall[] = [];

  constructor(
    readonly baseUrl: string,
    private readonly credential: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Raw request: returns status and parsed body, never throws on HTTP errors. */
  async raw(method: string, route: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
    const url = new URL(route, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${this.credential}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      signal: AbortSignal.timeout(this.timeoutMs),
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(url, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`${method} ${route}: the control API answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
      }
    }
    this.calls.push({ method, path: route, status: res.status, requestBody: body, responseBody: parsed });
    if (res.status >= 400) checkSchema('error.schema.json', parsed, `${method} ${route}`);
    return { status: res.status, body: parsed };
  }

  private async call<T>(method: string, route: string, schema: string | undefined, body?: unknown): Promise<T> {
    const res = await this.raw(method, route, body);
    if (res.status >= 400) throw new ControlApiError(res.status, res.body as ControlApiError['body'], `${method} ${route}`);
    if (schema) checkSchema(schema, res.body, `${method} ${route}`);
    return res.body as T;
  }

  capabilities() { return this.call<Json>('GET', 'capabilities', 'capabilities.schema.json'); }
  cluster() { return this.call<Json>('GET', 'cluster', 'cluster.schema.json'); }
  reset() { return this.call<void>('POST', 'reset', undefined); }
  mintJoinState(request: Json) { return this.call<{ join_state: string }>('POST', 'join-states', 'join-state.schema.json', request); }
  rotateBoundKeypairCa() { return this.call<Json>('POST', 'cluster/bound-keypair-ca/rotation', 'cluster.schema.json'); }

  createToken(resource: unknown) { return this.call<Json>('POST', 'tokens', 'token.schema.json', resource); }
  applyToken(name: string, resource: unknown) { return this.call<Json>('PUT', `tokens/${encodeURIComponent(name)}`, 'token.schema.json', resource); }
  getToken(name: string) { return this.call<Json>('GET', `tokens/${encodeURIComponent(name)}`, 'token.schema.json'); }
  async listTokens() { return (await this.call<{ items: Json[] }>('GET', 'tokens', 'token-list.schema.json')).items; }
  deleteToken(name: string) { return this.call<void>('DELETE', `tokens/${encodeURIComponent(name)}`, undefined); }
  writeTokenStatus(name: string, status: unknown) { return this.call<Json>('PUT', `tokens/${encodeURIComponent(name)}/status`, 'token.schema.json', status); }
  requestRotation(name: string) { return this.call<Json>('POST', `tokens/${encodeURIComponent(name)}/rotation-request`, 'token.schema.json'); }

  async listLocks() { return (await this.call<{ items: Json[] }>('GET', 'locks', 'lock-list.schema.json')).items; }
  createLock(resource: unknown) { return this.call<Json>('POST', 'locks', 'lock.schema.json', resource); }
  deleteLock(name: string) { return this.call<void>('DELETE', `locks/${encodeURIComponent(name)}`, undefined); }

  async listBotInstances(botName?: string) {
    const q = botName ? `?bot_name=${encodeURIComponent(botName)}` : '';
    return (await this.call<{ items: Json[] }>('GET', `bot-instances${q}`, 'bot-instance-list.schema.json')).items;
  }

  async listAuditEvents(filter: { event?: string; token_name?: string; since_index?: number } = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return (await this.call<{ items: Json[] }>('GET', `audit-events${qs ? `?${qs}` : ''}`, 'audit-event-list.schema.json')).items;
  }

  async listJoinAttempts(tokenName?: string) {
    const q = tokenName ? `?token_name=${encodeURIComponent(tokenName)}` : '';
    return (await this.call<{ items: Json[] }>('GET', `join-attempts${q}`, 'join-attempt-list.schema.json')).items;
  }

  /** Recent join streams, message by message (feature transcripts). */
  async listTranscripts(filter: { token?: string; after?: number; limit?: number } = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return (await this.call<{ transcripts: Transcript[] }>('GET', `transcripts${qs ? `?${qs}` : ''}`, 'transcript-list.schema.json')).transcripts;
  }

  // Scripted mode (feature scripting): faults on join streams, holds, restarts.
  getScript() { return this.call<ScriptView>('GET', 'script', 'script.schema.json'); }
  putScript(script: { seed?: string; faults: Json[] }) { return this.call<ScriptView>('PUT', 'script', 'script.schema.json', script); }
  deleteScript() { return this.call<void>('DELETE', 'script', undefined); }
  releaseHold(faultId: string) { return this.call<{ fault_id: string; released: number }>('POST', 'script/release', 'script-release.schema.json', { fault_id: faultId }); }
  /** Drops every join stream and answers once the join service listens again. */
  restart(downMs?: number) { return this.call<{ join_address: string; down_ms: number }>('POST', 'restart', 'restart.schema.json', downMs === undefined ? {} : { down_ms: downMs }); }

  clock() { return this.call<{ kind: string; now: string }>('GET', 'clock', 'clock.schema.json'); }
  advanceClock(durationMs: number) { return this.call<{ kind: string; now: string }>('POST', 'clock/advance', 'clock.schema.json', { duration_ms: durationMs }); }
  setClock(time: string) { return this.call<{ kind: string; now: string }>('POST', 'clock/set', 'clock.schema.json', { time }); }
  settings() { return this.call<{ stream_timeout_ms: number; signature_algorithm_suite: string }>('GET', 'settings', 'settings.schema.json'); }
  updateSettings(patch: { stream_timeout_ms?: number; signature_algorithm_suite?: string }) { return this.call<{ stream_timeout_ms: number; signature_algorithm_suite: string }>('PATCH', 'settings', 'settings.schema.json', patch); }
}

function checkSchema(schema: string, body: unknown, what: string): void {
  const validate = validator(schema);
  if (!validate(body)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${what}: the response does not match the control API contract (${schema}): ${problems}`);
  }
}
