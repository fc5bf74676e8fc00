// The seam between the join client and what the bot keeps: the keypair it is
// bound with, its key history and the join state the server signed. Two
// implementations: the mutable state in a storage directory (fs-client-state.ts,
// tbot's layout) and an immutable static key (static-client-state.ts).
import type { KeyPair } from '../../crypto/index.js';

export interface JoinParameters {
  /** Sent only while there is no stored join state; never by a static client (C-JP-1). */
  initialJoinSecret: string;
  /** The stored join state, byte for byte; empty on the first join and for static clients (C-JP-2). */
  previousJoinState: Buffer;
}

export interface ClientState {
  readonly kind: 'fs' | 'static';
  /** The join parameters for one join, given the secret the operator configured (if any). */
  joinParameters(configuredSecret: string | undefined): JoinParameters;
  /**
   * The private key matching the public key the server named in a challenge
   * (authorized_keys text): the active key first, then the history newest
   * first (C-SG-1). Throws `no matching key found` (fs) or the static
   * mismatch message (C-SG-3).
   */
  signerFor(publicKeyAuthorized: string): KeyPair;
  /**
   * A rotation request: generate a key for the suite, prepend it to the
   * history WITHOUT making it active, persist, and return its public key in
   * authorized_keys form, trimmed (C-RT-1..3). A static client refuses.
   */
  requestNewKeypair(suite: string): Promise<string>;
  /**
   * After a successful result: make the returned public key active if it is
   * not already (looked up in the active key and the history, C-RS-2/3),
   * replace the join state, persist (C-RS-4). No-op for a static client.
   */
  acceptResult(result: { publicKey: string; joinState: Buffer }): Promise<void>;
}
