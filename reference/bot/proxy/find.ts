// The `/webapi/find` client: `tbot keypair create` pings the proxy once, only
// to learn the cluster's signature algorithm suite (client notes §4.1).
//
// node:https rather than the global fetch: fetch cannot be given per-request
// trust (a CA bundle, or --insecure) on Node 20 without the undici package,
// and a process-wide NODE_TLS_REJECT_UNAUTHORIZED would weaken every other
// connection. The request is bounded in time (one deadline for connect,
// headers and body) and in size (the body is cut off past maxBodyBytes).
// The module object, not a named import: interceptors (nock in the tests)
// patch `https.request` on it, which a named ESM binding would not see.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';
import { FindResponseError, suiteFromFindResponse, teleportErrorMessage } from './find-response.js';

export const FIND_DEFAULT_TIMEOUT_MS = 10_000;
export const FIND_DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface FindOptions {
  /** Skip verification of the proxy's certificate (tbot's --insecure). */
  insecure?: boolean;
  /** PEM certificates to trust instead of the system roots. */
  caPems?: string[];
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export interface FindResult {
  signatureAlgorithmSuite: SignatureAlgorithmSuite;
}

/** A failed ping: the message names the address and what went wrong. */
export class ProxyFindError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'ProxyFindError';
  }
}

/** GET https://<address>/webapi/find and read the cluster's suite. */
export async function findProxy(address: string, options: FindOptions = {}): Promise<FindResult> {
  const url = findUrl(address);
  const where = `proxy ${address} (${url})`;
  const { status, body } = await get(url, options, where);
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (status !== 200) throw new ProxyFindError(`${where} answered HTTP ${status}: ${snippet(text)}`, status);
    throw new ProxyFindError(`${where} did not answer JSON: ${snippet(text)}`, status);
  }
  if (status !== 200) {
    const message = teleportErrorMessage(parsed);
    throw new ProxyFindError(`${where} answered HTTP ${status}${message === undefined ? `: ${snippet(text)}` : `: ${message}`}`, status);
  }
  try {
    return { signatureAlgorithmSuite: suiteFromFindResponse(parsed) };
  } catch (err) {
    if (err instanceof FindResponseError) throw new ProxyFindError(`${where} sent an invalid answer: ${err.message}`, status);
    throw err;
  }
}

/** `host:port` (IPv6 in brackets) → the find URL; anything else is refused. */
export function findUrl(address: string): string {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new ProxyFindError(`invalid proxy address ${JSON.stringify(address)}: expected host:port, e.g. proxy.example.com:443`);
  }
  const host = m[1] !== undefined ? `[${m[1]}]` : (m[2] as string);
  return `https://${host}:${port}/webapi/find`;
}

function get(url: string, options: FindOptions, where: string): Promise<{ status: number; body: Buffer }> {
  const timeoutMs = options.timeoutMs ?? FIND_DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBodyBytes ?? FIND_DEFAULT_MAX_BODY_BYTES;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string, status?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new ProxyFindError(message, status));
    };
    const req = https.request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      rejectUnauthorized: !options.insecure,
      ...(options.caPems && options.caPems.length > 0 ? { ca: options.caPems } : {}),
    });
    const timer = setTimeout(() => fail(`${where} did not answer within ${timeoutMs} ms`), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => fail(`${where} could not be reached: ${err.code ? `${err.code} ` : ''}${err.message}`));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(`${where} answer is ${declared} bytes, more than the ${maxBytes}-byte limit`, status);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(`${where} answer is more than the ${maxBytes}-byte limit`, status);
        else chunks.push(chunk);
      });
      res.on('error', (err) => fail(`${where} answer could not be read: ${err.message}`, status));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}

/** A short, single-line excerpt of an unexpected body for an error message. */
function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return JSON.stringify(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat);
}
