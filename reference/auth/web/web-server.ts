// The web listener: HTTPS with the same server certificate as the join
// service, serving only GET /webapi/find (find-response.ts), the one web API
// call a bot makes before joining. Everything else is 404 or 405 with
// Teleport's error body {"error":{"message":"…"}}. It is bounded like the
// rest of the server: request bodies are never read (a request with one gets
// its answer and the connection closed), headers are small, and every socket
// has handshake, header, request and idle timeouts.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FIND_PATH = '/webapi/find';

const LIMITS = {
  handshakeTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16 * 1024,
  maxConnections: 256,
};

export interface WebServerOptions {
  host: string;
  port: number;
  tls: { keyPem: string; certPem: string };
  /** Built per request, so it always shows the suite in force now. */
  find: () => Record<string, unknown>;
}

export interface RunningWebServer {
  /** host:port, e.g. 127.0.0.1:3443 */
  address: string;
  close(): Promise<void>;
}

export async function startWebServer(opts: WebServerOptions): Promise<RunningWebServer> {
  const server = https.createServer(
    {
      key: opts.tls.keyPem,
      cert: opts.tls.certPem,
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['http/1.1'],
      handshakeTimeout: LIMITS.handshakeTimeoutMs,
      maxHeaderSize: LIMITS.maxHeaderBytes,
      headersTimeout: LIMITS.headersTimeoutMs,
      requestTimeout: LIMITS.requestTimeoutMs,
      keepAliveTimeout: LIMITS.keepAliveTimeoutMs,
    },
    (req, res) => answer(req, res, opts),
  );
  server.maxConnections = LIMITS.maxConnections;
  server.setTimeout(LIMITS.idleTimeoutMs, (socket) => socket.destroy());
  server.on('tlsClientError', () => {
    // A failed handshake concerns only that client.
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    address: `${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, opts: WebServerOptions): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  // The body is never read: a request that carries one gets its answer and
  // loses its connection, so nothing unread can pile up.
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...(hasBody ? { Connection: 'close' } : {}) };
  if (path !== FIND_PATH) return send(res, 404, { error: { message: 'not found' } }, headers, req.method === 'HEAD');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, { error: { message: `method ${String(req.method).slice(0, 16)} is not allowed on ${FIND_PATH}; use GET` } }, { ...headers, Allow: 'GET, HEAD' }, false);
  }
  send(res, 200, opts.find(), headers, req.method === 'HEAD');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, headOnly: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(headOnly ? undefined : text);
}
