// The join transport seam: one bidirectional stream of join messages plus
// what the transport knows about the peer. The gRPC adapter implements it for
// real clients; tests and fuzzers can implement it in memory. Handlers only
// ever see this interface.
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';

export interface PeerInfo {
  /** "ip:port" as the transport saw it. */
  address: string;
  /** The client certificate chain presented in the TLS handshake (leaf first), DER. */
  certificateChain: Buffer[];
}

export interface JoinStream {
  readonly peer: PeerInfo;
  /** Aborted when the stream's deadline passes or the client goes away. */
  readonly signal: AbortSignal;
  /** Next client message; rejects with StreamClosedError when there is none. */
  recv(): Promise<JoinRequest>;
  send(message: JoinResponse): Promise<void>;
  /**
   * Ends the stream now, from the server's side, the way `reason` says: a
   * gRPC status, or a dropped connection. Used by scripted faults, which must
   * end the stream exactly as scripted whatever the handler later makes of
   * the error it is unwound with (handlers wrap errors in context). The
   * stream's signal aborts with `reason`. Transports that cannot do this
   * leave it out.
   */
  abort?(reason: StreamStatusError | StreamDroppedError): void;
}

/** The client ended its side of the stream, or the stream was torn down. */
export class StreamClosedError extends Error {
  constructor(message = 'the client closed the stream') {
    super(message);
    this.name = 'StreamClosedError';
  }
}

/** End the stream with exactly this gRPC status (numeric code, details). */
export class StreamStatusError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'StreamStatusError';
  }
}

/**
 * Drop the connection carrying the stream without a status, as a crashed
 * server or a cut network would: the client sees UNAVAILABLE. The message is
 * for the server's own records (transcripts, audit), never sent.
 */
export class StreamDroppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamDroppedError';
  }
}
