// Redaction of evidence before it leaves the scenario (attachments flow into
// the message stream, the HTML report and whatever CI uploads): private keys,
// secrets and signatures never appear; everything a reader needs to follow
// the exchange (message types, claims, public keys, certificates' subjects)
// stays. Applied to decoded join messages, server transcripts and control API
// bodies alike.
//
// Rules, in order:
//  - a field whose name says secret, private, password or credential: replaced
//    by its length only;
//  - a compact JWS/JWT (challenge solutions, join states): header and payload
//    decoded, the signature replaced;
//  - PEM text: a private key block replaced, certificates kept;
//  - bytes: printable text kept (authorized_keys lines, PEM), anything else
//    shown by length and a short prefix;
//  - long strings and arrays cut, so one scenario's evidence stays small.

const SECRET_FIELD = /secret|private|password|credential|authorization|bearer/i;
const COMPACT_JWS = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{16,}$/;
const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;
const MAX_STRING = 4096;
const MAX_ITEMS = 200;
const MAX_DEPTH = 12;

export const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return redactBytes(value);
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redact(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[k] = SECRET_FIELD.test(k) && !isEmpty(v) && typeof v !== 'boolean' ? `${REDACTED} (${sizeOf(v)})` : redact(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

function isEmpty(v: unknown): boolean {
  return v === '' || v === null || (v instanceof Uint8Array && v.length === 0);
}

function sizeOf(v: unknown): string {
  if (typeof v === 'string') return `${v.length} chars`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return typeof v;
}

function redactString(s: string): unknown {
  const trimmed = s.trim();
  if (COMPACT_JWS.test(trimmed)) return redactCompactJws(trimmed);
  const text = s.replace(PRIVATE_PEM, `${REDACTED} private key`);
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}… [${text.length} chars]` : text;
}

/** A compact JWS as its decoded header and payload; the signature never leaves. */
export function redactCompactJws(jws: string): unknown {
  const [header, payload] = jws.split('.');
  return { jws: { header: decodeJsonPart(header ?? ''), payload: decodeJsonPart(payload ?? ''), signature: REDACTED } };
}

function decodeJsonPart(part: string): unknown {
  try {
    return redact(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')), 1);
  } catch {
    return `[${part.length} base64url chars, not JSON]`;
  }
}

/** Text with no control characters other than tab, newline and carriage return, and valid UTF-8. */
function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) return false;
  }
  return true;
}

function redactBytes(bytes: Uint8Array): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('utf8');
  // Printable UTF-8 (an authorized_keys line, PEM, a compact JWS): shown as text.
  if (buf.length > 0 && isPrintable(text)) return redactString(text);
  return `[${buf.length} bytes: ${buf.subarray(0, 16).toString('hex')}${buf.length > 16 ? '…' : ''}]`;
}
