// The control API over plain node:http (docs/control-api.md is the contract).
// This layer only listens, authenticates, dispatches to the route table
// (routes.ts) and maps TraceError kinds to HTTP; resource semantics live
// behind the ControlPlane. Every check runs before the plane is called, so a
// bad request changes nothing. It owns the control API's own limits: the body
// size (413) and the requests in progress per client address (429).
import { createServer } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { TraceError, httpStatusFor } from '../../protocol/errors.js';
import { CONTROL_API_BASE_PATH, MAX_BODY_BYTES, MAX_REQUESTS_PER_ADDRESS, RETRY_AFTER_SECONDS } from './constants.js';
import { PerAddressSlots, tooManyFrom } from '../limits/per-address-slots.js';
import { HttpError } from './http-error.js';
import { parseQuery, readBody } from './request-parsing.js';
import { matchRoute } from './router.js';
import { routes } from './routes.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ControlPlane } from './control-plane.js';
import type { Reply } from './router.js';

export { CONTROL_API_BASE_PATH, MAX_ADVANCE_MS, MAX_BODY_BYTES, MAX_REQUESTS_PER_ADDRESS, MAX_TIMEOUT_MS } from './constants.js';

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
  /** Requests one client address may have in progress at once (default MAX_REQUESTS_PER_ADDRESS; 0: no cap). */
  maxRequestsPerAddress?: number;
  logger?: ControlApiLogger;
}

export interface ControlApi {
  /** Base URL including the base path, e.g. http://127.0.0.1:4100/conformance/v1/ */
  url: string;
  close(): Promise<void>;
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

function createHandler(options: ControlApiOptions) {
  const table = routes(options.plane);
  const expected = createHash('sha256').update(options.credential).digest();
  const perAddress = new PerAddressSlots(options.maxRequestsPerAddress ?? MAX_REQUESTS_PER_ADDRESS);

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
    const found = rest && matchRoute(table, rest);
    if (!found) throw new HttpError(404, 'NotFound', `no route for ${method} ${pathname.slice(0, 200)}`);
    const handler = Object.hasOwn(found.route.methods, method) ? found.route.methods[method] : undefined;
    if (!handler) {
      const allow = Object.keys(found.route.methods).join(', ');
      throw new HttpError(405, 'BadParameter', `method ${method} not allowed here; allowed: ${allow}`, { Allow: allow });
    }
    let body: Promise<string> | undefined;
    return handler({
      params: found.params,
      query: parseQuery(q < 0 ? '' : raw.slice(q + 1), found.route.query ?? []),
      contentType: req.headers['content-type'],
      body: () => (body ??= readBody(req, MAX_BODY_BYTES)),
    });
  }

  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    let reply: Reply;
    try {
      // Counted before anything else (even the credential), until the reply
      // is sent or the client goes away: 'close' fires either way.
      const address = req.socket.remoteAddress ?? '';
      const release = perAddress.acquire(address);
      if (!release) throw tooManyRequests(address, perAddress);
      res.once('close', release);
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

function tooManyRequests(address: string, slots: PerAddressSlots): HttpError {
  const message = tooManyFrom(address, slots.heldBy(address), slots.max, 'control API requests in progress');
  return new HttpError(429, 'LimitExceeded', message, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
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
