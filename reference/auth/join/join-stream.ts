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
}

/** The client ended its side of the stream, or the stream was torn down. */
export class StreamClosedError extends Error {
  constructor(message = 'the client closed the stream') {
    super(message);
    this.name = 'StreamClosedError';
  }
}
