// Short, non-secret descriptions of the binary fields of join messages:
// what a transcript keeps instead of the bytes. Public keys are not secret
// and are kept in authorized_keys form; certificates become their subject
// and validity; a join state becomes its size and its claims (the payload
// only: never the signature, so a transcript cannot be replayed as a join
// state); a challenge document keeps its claims.
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import { encodeAuthorizedKey, parseCompactJws, parseSshCertificate, parseSshWirePublicKey } from '../../crypto/index.js';
import type { Timestamp } from '../../protocol/messages.js';
import { formatTimestamp } from '../clock/clock.js';
import { bounded, sized, text } from './bounded.js';

export function certificateSummary(der: Buffer): Record<string, unknown> {
  try {
    const cert = new X509Certificate(der);
    return {
      bytes: der.length,
      subject: text(cert.subject.replace(/\n/g, ', ')),
      issuer: text(cert.issuer.replace(/\n/g, ', ')),
      not_before: formatTimestamp(new Date(cert.validFrom)),
      not_after: formatTimestamp(new Date(cert.validTo)),
    };
  } catch {
    return { bytes: der.length, unparsable: true };
  }
}

export function sshCertificateSummary(wire: Buffer): Record<string, unknown> {
  try {
    const cert = parseSshCertificate(wire);
    return {
      bytes: wire.length,
      key_id: text(cert.keyId),
      principals: bounded(cert.principals),
      valid_before: formatTimestamp(cert.validBefore),
    };
  } catch {
    return { bytes: wire.length, unparsable: true };
  }
}

/**
 * `<join state: N bytes>` plus the decoded claims, without the signature, and
 * the SHA-256 of the exact bytes: a digest cannot be replayed as a join
 * state, but lets the suite check that a bot stored and sent back the
 * document byte for byte (BKP-CLI-002, BKP-STO-004).
 */
export function joinStateSummary(jws: Buffer | undefined): { join_state: string; join_state_sha256?: string; join_state_claims?: unknown } {
  const summary: { join_state: string; join_state_sha256?: string; join_state_claims?: unknown } = { join_state: sized('join state', jws) };
  if (!jws || jws.length === 0) return summary;
  summary.join_state_sha256 = createHash('sha256').update(jws).digest('hex');
  try {
    summary.join_state_claims = bounded(JSON.parse(parseCompactJws(jws, 'join state').payload.toString('utf8')));
  } catch {
    // Not a compact JWS with a JSON payload: the size is all there is to say.
  }
  return summary;
}

/** A challenge document keeps its claims (they are the server's own, not secret). */
export function challengeClaims(document: string | undefined): unknown {
  if (document === undefined) return undefined;
  try {
    return bounded(JSON.parse(document));
  } catch {
    return text(document);
  }
}

/** An authorized_keys text as sent (not secret), or its size when it is not text. */
export function authorizedKeyText(bytes: Buffer | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  return text(bytes.toString('utf8'));
}

/** An SSH wire public key, shown in authorized_keys form when it parses. */
export function sshWireKey(bytes: Buffer | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  try {
    return encodeAuthorizedKey(parseSshWirePublicKey(bytes));
  } catch {
    return sized('ssh public key', bytes);
  }
}

/** A PKIX (SubjectPublicKeyInfo) DER public key: its algorithm and size. */
export function pkixKey(bytes: Buffer | undefined): Record<string, unknown> | undefined {
  if (bytes === undefined) return undefined;
  try {
    return { bytes: bytes.length, algorithm: createPublicKey({ key: bytes, format: 'der', type: 'spki' }).asymmetricKeyType };
  } catch {
    return { bytes: bytes.length, unparsable: true };
  }
}

export function timestamp(ts: Timestamp | undefined): string | undefined {
  if (!ts) return undefined;
  const ms = Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '<invalid timestamp>' : formatTimestamp(d);
}
