// The control API over plain node:http (docs/control-api.md is the contract).
// This layer only authenticates, routes, decodes and validates request
// envelopes, and maps TraceError kinds to HTTP; resource semantics live behind
// the ControlPlane. Every check runs before the plane is called, so a bad
// request changes nothing.
import { createServer } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TraceError, badField, badParameter, httpStatusFor } from '../../protocol/errors.js';
import { isValidTimestamp } from '../clock/clock.js';
import { decodeJson, documentFormat, isFieldMap, objectAt, parseTokenDocument } from '../tokens/token-validation.js';
import type { TraceKind } from '../../protocol/errors.js';
import type { FieldMap } from '../tokens/token-validation.js';
import type { ControlPlane, Settings } from './control-plane.js';

export const CONTROL_API_BASE_PATH = '/conformance/v1/';
export const MAX_BODY_BYTES = 1024 * 1024;
/** setTimeout silently turns larger delays into 1 ms, so timeouts are capped here. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** Go's time.Duration tops out at 2^63-1 ns; a larger advance is surely a mistake. */
export const MAX_ADVANCE_MS = 9_223_372_036_854;

export interface ControlApiLogger {
  info(message: string): void;
  error(message: string): void;
}

export interface ControlApiOptions {
  plane: ControlPlane;
  host: string;
  port: number;
  /** The bearer credential every request (except GET health) must present. */
  credential: string;
  logger?: ControlApiLogger;
}

export interface ControlApi {
  /** Base URL including the base path, e.g. http://127.0.0.1:4100/conformance/v1/ */
  url: string;
  close(): Promise<void>;
}

/** A refusal by the HTTP layer itself, whose status is not the kind's usual one (405, 413, 415). */
class HttpError extends TraceError {
  constructor(
    readonly status: number,
    kind: TraceKind,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(kind, message);
  }
}

interface Request {
  params: string[];
  query: Record<string, string>;
  body(): Promise<string>;
  contentType: string | undefined;
}
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Handler = (r: Request) => Promise<Reply>;
interface Route {
  path: string[];
  query?: string[];
  methods: Record<string, Handler>;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent: Reply = { status: 204 };

/** Parses Go duration text ("90s", "1m30s", "1.5h", "250ms") into milliseconds; undefined if malformed. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  for (let pos = 0; pos < text.length; pos = part.lastIndex) {
    part.lastIndex = pos;
    const m = part.exec(text);
    if (!m || m[1] === undefined || m[2] === undefined) return undefined;
    total += Number(m[1]) * (unitMs[m[2]] ?? NaN);
  }
  // Round away binary fractions (1.1h) at nanosecond precision.
  return text === '' ? undefined : Math.round(total * 1e6) / 1e6;
}

// ---- request helpers -----------------------------------------------------------

function mediaFormat(r: Request, allowYaml: boolean): void {
  if (r.contentType === undefined) return;
  const format = documentFormat(r.contentType);
  if (format === 'json' || (format === 'yaml' && allowYaml)) return;
  const want = allowYaml ? 'application/json or application/yaml' : 'application/json';
  throw new HttpError(415, 'BadParameter', `unsupported content type ${JSON.stringify(r.contentType)}: use ${want}`);
}

/** A JSON object body with only the given fields. */
async function jsonBody(r: Request, allowed: readonly string[]): Promise<FieldMap> {
  mediaFormat(r, false);
  const text = await r.body();
  if (text.trim() === '') throw badParameter('request body required: a JSON object');
  const value = decodeJson(text);
  if (!isFieldMap(value)) throw badParameter('request body must be a JSON object');
  return objectAt(value, '', allowed);
}

/** Routes that take no parameters accept no body, or an empty JSON object. */
async function emptyBody(r: Request): Promise<void> {
  const text = await r.body();
  if (text.trim() !== '') {
    mediaFormat(r, false);
    const value = decodeJson(text);
    if (!isFieldMap(value)) throw badParameter('request body must be empty or a JSON object');
    objectAt(value, '', []);
  }
}

async function tokenBody(r: Request): Promise<FieldMap> {
  mediaFormat(r, true);
  return parseTokenDocument(await r.body(), r.contentType);
}

function integerField(value: unknown, field: string, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badField(field, `must be an integer number of ${unit} from ${min} to ${max}`);
  }
  return value;
}

function advanceBy(b: FieldMap): number {
  if (b.duration_ms !== undefined && b.duration !== undefined) throw badParameter('give either duration_ms or duration, not both');
  if (b.duration_ms !== undefined) return integerField(b.duration_ms, 'duration_ms', 0, MAX_ADVANCE_MS, 'milliseconds');
  if (b.duration === undefined) throw badParameter('one of duration_ms or duration is required');
  const ms = typeof b.duration === 'string' ? parseGoDuration(b.duration) : undefined;
  if (ms === undefined) throw badField('duration', 'must be a Go duration string such as "90s", "1m30s" or "25h"');
  if (!Number.isInteger(ms)) throw badField('duration', 'must be a whole number of milliseconds');
  if (ms > MAX_ADVANCE_MS) throw badField('duration', 'is longer than a Go duration can be');
  return ms;
}

function sinceIndex(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw badField('since_index', 'must be a non-negative integer');
  return Number(value);
}

function nonEmptyQuery(q: Record<string, string>, key: string): string | undefined {
  const value = q[key];
  if (value === '') throw badField(key, 'must not be empty when given');
  return value;
}

const location = (...segments: string[]) => CONTROL_API_BASE_PATH + segments.map(encodeURIComponent).join('/');

// ---- routes --------------------------------------------------------------------

function routes(plane: ControlPlane): Route[] {
  const route = (path: string, methods: Record<string, Handler>, query?: string[]): Route => ({ path: path.split('/'), methods, ...(query ? { query } : {}) });
  return [
    route('health', { GET: async () => ok({ status: 'ok' }) }),
    route('capabilities', { GET: async () => ok(plane.capabilities()) }),
    route('cluster', { GET: async () => ok(plane.cluster()) }),
    route('tokens', {
      GET: async () => ok({ items: await plane.tokens.list() }),
      POST: async (r) => {
        const token = await plane.tokens.create(await tokenBody(r));
        return { status: 201, body: token, headers: { Location: location('tokens', token.metadata.name) } };
      },
    }),
    route('tokens/:name', {
      GET: async (r) => ok(await plane.tokens.get(param(r, 0))),
      PUT: async (r) => {
        const name = param(r, 0);
        const doc = await tokenBody(r);
        const bodyName = isFieldMap(doc.metadata) ? doc.metadata.name : undefined;
        if (bodyName !== name) throw badField('metadata.name', `must equal the token name in the path (${JSON.stringify(name)})`);
        return ok(await plane.tokens.apply(doc));
      },
      DELETE: async (r) => {
        await plane.tokens.delete(param(r, 0));
        return noContent;
      },
    }),
    route('tokens/:name/rotation-request', {
      POST: async (r) => {
        await emptyBody(r);
        return ok(await plane.tokens.requestRotation(param(r, 0)));
      },
    }),
    route('locks', {
      GET: async () => ok({ items: await plane.locks.list() }),
      POST: async (r) => {
        const lock = await plane.locks.create(await jsonBody(r, ['kind', 'version', 'metadata', 'spec']));
        return { status: 201, body: lock, headers: { Location: location('locks', lock.metadata.name) } };
      },
    }),
    route('locks/:name', {
      DELETE: async (r) => {
        await plane.locks.delete(param(r, 0));
        return noContent;
      },
    }),
    route('bot-instances', { GET: async (r) => ok({ items: await plane.botInstances.list(nonEmptyQuery(r.query, 'bot_name')) }) }, ['bot_name']),
    route('bot-instances/:id', { GET: async (r) => ok(await plane.botInstances.get(param(r, 0))) }),
    route('audit-events', {
      GET: async (r) => {
        const filter: { event?: string; token_name?: string; since_index?: number } = {};
        const event = nonEmptyQuery(r.query, 'event');
        const tokenName = nonEmptyQuery(r.query, 'token_name');
        const since = sinceIndex(r.query.since_index);
        if (event !== undefined) filter.event = event;
        if (tokenName !== undefined) filter.token_name = tokenName;
        if (since !== undefined) filter.since_index = since;
        return ok({ items: await plane.audit.list(filter) });
      },
    }, ['event', 'token_name', 'since_index']),
    route('clock', { GET: async () => ok(plane.clock.get()) }),
    route('clock/advance', { POST: async (r) => ok(plane.clock.advance(advanceBy(await jsonBody(r, ['duration_ms', 'duration'])))) }),
    route('clock/set', {
      POST: async (r) => {
        const { time } = await jsonBody(r, ['time']);
        if (typeof time !== 'string' || !isValidTimestamp(time)) throw badField('time', 'must be an RFC 3339 timestamp, e.g. 2025-01-02T15:04:05Z');
        return ok(plane.clock.set(new Date(time)));
      },
    }),
    route('settings', {
      GET: async () => ok(plane.settings.get()),
      PATCH: async (r) => {
        const b = await jsonBody(r, ['stream_timeout_ms']);
        const patch: Partial<Settings> = {};
        if (b.stream_timeout_ms !== undefined) patch.stream_timeout_ms = integerField(b.stream_timeout_ms, 'stream_timeout_ms', 1, MAX_TIMEOUT_MS, 'milliseconds');
        return ok(plane.settings.update(patch));
      },
    }),
    route('reset', {
      POST: async (r) => {
        await emptyBody(r);
        await plane.reset();
        return noContent;
      },
    }),
  ];
}

function param(r: Request, i: number): string {
  const value = r.params[i];
  if (value === undefined) throw new Error(`route has no parameter ${i}`);
  return value;
}

// ---- transport -----------------------------------------------------------------

function readBody(req: IncomingMessage): Promise<string> {
  const tooLarge = () => new HttpError(413, 'LimitExceeded', `request body exceeds ${MAX_BODY_BYTES} bytes`, { Connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume(); // discard the rest; the connection closes after the reply
      reject(tooLarge());
    };
    req.on('data', onData);
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(badParameter('request body is not valid UTF-8'));
      }
    });
  });
}

/** Compares SHA-256 digests so neither the content nor the length of the credential leaks through timing. */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  const presented = createHash('sha256').update(m?.[1] ?? '').digest();
  return timingSafeEqual(presented, expected) && m !== null;
}

function errorReply(err: unknown, logger: ControlApiLogger | undefined): Reply {
  if (!(err instanceof TraceError)) {
    // Unexpected failures are logged in full but never described to the caller.
    logger?.error(`control API handler failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return { status: 500, body: { error: { kind: 'Internal', message: 'internal error' } } };
  }
  const error = { kind: err.kind, message: err.message, ...(err.field ? { field: err.field } : {}) };
  if (err instanceof HttpError) return { status: err.status, body: { error }, headers: err.headers };
  return { status: httpStatusFor(err.kind), body: { error } };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = Buffer.byteLength(text);
  res.writeHead(reply.status, headers).end(text);
}

function createHandler(options: ControlApiOptions) {
  const table = routes(options.plane);
  const expected = createHash('sha256').update(options.credential).digest();

  async function dispatch(req: IncomingMessage): Promise<Reply> {
    const method = req.method ?? 'GET';
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    const rest = pathname.startsWith(CONTROL_API_BASE_PATH) ? pathname.slice(CONTROL_API_BASE_PATH.length).split('/') : undefined;
    // Health is the one unauthenticated probe; everything else (even a 404) needs the credential.
    const isHealth = method === 'GET' && rest?.length === 1 && rest[0] === 'health';
    if (!isHealth && !bearerMatches(req.headers.authorization, expected)) {
      throw new HttpError(401, 'Unauthenticated', 'missing or invalid bearer credential', { 'WWW-Authenticate': 'Bearer realm="conformance"' });
    }
    const found = rest && match(table, rest);
    if (!found) throw new HttpError(404, 'NotFound', `no route for ${method} ${pathname.slice(0, 200)}`);
    const handler = Object.hasOwn(found.route.methods, method) ? found.route.methods[method] : undefined;
    if (!handler) {
      const allow = Object.keys(found.route.methods).join(', ');
      throw new HttpError(405, 'BadParameter', `method ${method} not allowed here; allowed: ${allow}`, { Allow: allow });
    }
    let body: Promise<string> | undefined;
    return handler({
      params: found.params,
      query: queryOf(q < 0 ? '' : raw.slice(q + 1), found.route.query ?? []),
      contentType: req.headers['content-type'],
      body: () => (body ??= readBody(req)),
    });
  }

  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    let reply: Reply;
    try {
      reply = await dispatch(req);
    } catch (err) {
      reply = errorReply(err, options.logger);
    }
    try {
      send(res, reply);
    } catch (err) {
      options.logger?.error(`control API could not send a reply: ${String(err)}`);
      res.destroy();
    }
    // Method, path and status only: bodies and queries may carry secrets.
    options.logger?.info(`${req.method ?? '?'} ${(req.url ?? '').split('?')[0]} ${reply.status} ${Date.now() - started}ms`);
  };
}

function match(table: Route[], segments: string[]): { route: Route; params: string[] } | undefined {
  for (const route of table) {
    if (route.path.length !== segments.length) continue;
    const params: string[] = [];
    const fits = route.path.every((p, i) => {
      const seg = segments[i] ?? '';
      if (!p.startsWith(':')) return p === seg;
      if (seg === '') return false;
      try {
        params.push(decodeURIComponent(seg));
      } catch {
        throw badParameter('malformed percent-encoding in the request path');
      }
      return true;
    });
    if (fits) return { route, params };
  }
  return undefined;
}

function queryOf(search: string, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (!allowed.includes(key)) throw badField(key, allowed.length ? `unknown query parameter; allowed: ${allowed.join(', ')}` : 'unknown query parameter; this route takes none');
    if (Object.hasOwn(out, key)) throw badField(key, 'query parameter given more than once');
    out[key] = value;
  }
  return out;
}

export async function startControlApi(options: ControlApiOptions): Promise<ControlApi> {
  if (!options.credential) throw new Error('startControlApi: a non-empty credential is required');
  const handle = createHandler(options);
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${CONTROL_API_BASE_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      }),
  };
}
