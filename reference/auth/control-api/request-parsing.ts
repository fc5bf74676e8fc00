// Turning the raw request into values: reading the body (UTF-8, size-capped),
// checking its media type, decoding JSON or YAML documents, and parsing the
// query string. Field-level checks come after, in the routes.
import { badField, badParameter } from '../../protocol/errors.js';
import { parseTokenDocument } from '../tokens/token-validation.js';
import { decodeJson, documentFormat } from '../validation/documents.js';
import { isFieldMap, objectAt } from '../validation/fields.js';
import { HttpError } from './http-error.js';
import type { IncomingMessage } from 'node:http';
import type { FieldMap } from '../validation/fields.js';
import type { Request } from './router.js';

/** The whole body as UTF-8 text; 413 once it exceeds `maxBytes`, without reading the rest. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'LimitExceeded', `request body exceeds ${maxBytes} bytes`, { Connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
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

/** 415 unless the Content-Type (when given) is JSON, or YAML where allowed. */
function mediaFormat(r: Request, allowYaml: boolean): void {
  if (r.contentType === undefined) return;
  const format = documentFormat(r.contentType);
  if (format === 'json' || (format === 'yaml' && allowYaml)) return;
  const want = allowYaml ? 'application/json or application/yaml' : 'application/json';
  throw new HttpError(415, 'BadParameter', `unsupported content type ${JSON.stringify(r.contentType)}: use ${want}`);
}

/** A JSON object body with only the given fields. */
export async function jsonBody(r: Request, allowed: readonly string[]): Promise<FieldMap> {
  mediaFormat(r, false);
  const text = await r.body();
  if (text.trim() === '') throw badParameter('request body required: a JSON object');
  const value = decodeJson(text);
  if (!isFieldMap(value)) throw badParameter('request body must be a JSON object');
  return objectAt(value, '', allowed);
}

/** Routes that take no parameters accept no body, or an empty JSON object. */
export async function emptyBody(r: Request): Promise<void> {
  const text = await r.body();
  if (text.trim() !== '') {
    mediaFormat(r, false);
    const value = decodeJson(text);
    if (!isFieldMap(value)) throw badParameter('request body must be empty or a JSON object');
    objectAt(value, '', []);
  }
}

/** A token document, JSON or YAML; its fields are checked by the plane. */
export async function tokenBody(r: Request): Promise<FieldMap> {
  mediaFormat(r, true);
  return parseTokenDocument(await r.body(), r.contentType);
}

/** The query string as a map, refusing parameters outside `allowed` and repeated ones. */
export function parseQuery(search: string, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (!allowed.includes(key)) throw badField(key, allowed.length ? `unknown query parameter; allowed: ${allowed.join(', ')}` : 'unknown query parameter; this route takes none');
    if (Object.hasOwn(out, key)) throw badField(key, 'query parameter given more than once');
    out[key] = value;
  }
  return out;
}
