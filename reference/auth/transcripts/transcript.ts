// A stream transcript: every message of one join stream as the server saw
// it, with decoded and redacted fields, how the stream ended and which
// scripted faults fired on it (GET transcripts). Built by the join attempt
// recorder (join/join-attempts.ts).
import { X509Certificate } from 'node:crypto';
import { formatTimestamp } from '../clock/clock.js';
import { text } from './bounded.js';

export interface TranscriptMessage {
  direction: 'client' | 'server';
  /** The Go type name, as Teleport's server prints it, e.g. "*messages.BotResult". */
  type: string;
  /** Server clock, RFC 3339. */
  at: string;
  fields: Record<string, unknown>;
}

export interface Transcript {
  /** Increases with every stream and is never reused, not even across resets. */
  id: number;
  token_name?: string;
  peer: string;
  /** The client presented a certificate in the TLS handshake (mutual TLS); whether it was accepted shows in `end`. */
  authenticated: boolean;
  client_certificate?: { subject: string; issuer?: string; not_after?: string };
  started_at: string;
  ended_at?: string;
  messages: TranscriptMessage[];
  /** Messages left out once a stream exceeded the per-transcript bound. */
  messages_omitted?: number;
  end?: { code: string; message: string };
  /** Ids of the scripted faults that fired on this stream, in order. */
  faults: string[];
}

/** What the transcript says about the client certificate (leaf) presented, if any. */
export function presentedCertificate(chain: Buffer[]): Pick<Transcript, 'authenticated' | 'client_certificate'> {
  const leaf = chain[0];
  if (!leaf) return { authenticated: false };
  try {
    const cert = new X509Certificate(leaf);
    return {
      authenticated: true,
      client_certificate: {
        subject: text(cert.subject.replace(/\n/g, ', ')) ?? '',
        issuer: text(cert.issuer.replace(/\n/g, ', ')) ?? '',
        not_after: formatTimestamp(new Date(cert.validTo)),
      },
    };
  } catch {
    return { authenticated: true, client_certificate: { subject: '<unparsable certificate>' } };
  }
}
