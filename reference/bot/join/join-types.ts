// What the bot's join client takes and gives back (join-client.ts).
import type { BotClock } from '../clock.js';
import type { BotLog } from '../log.js';
import type { ClientState } from '../state/client-state.js';

export interface ServerTrust {
  /** PEM certificates to trust for the auth server's TLS certificate; absent with `insecure`. */
  caPems?: string[];
  /** Skip verification of the server's certificate (tbot's --insecure). */
  insecure?: boolean;
  /** Name to verify the server certificate against (default: the address host). */
  serverName?: string;
}

/** What a join returns and the bot keeps as its identity (identity-store.ts). */
export interface BotIdentity {
  /** PEM (PKCS#8) of the separate key the certificates were issued for (C-JP-4). */
  keyPem: string;
  tlsCertPem: string;
  tlsCaPems: string[];
  /** OpenSSH certificate, authorized_keys form. */
  sshCert: string;
  /** SSH CA public keys, authorized_keys form. */
  sshCaKeys: string[];
}

export interface JoinOptions {
  /** host:port of the auth server's join service. */
  authAddress: string;
  trust: ServerTrust;
  tokenName: string;
  state: ClientState;
  /** The registration secret the operator configured, if any (sent only while there is no join state). */
  registrationSecret?: string;
  /** Present the current identity over mutual TLS: a renewal (C-LC-1). Absent: unauthenticated (a recovery or first join). */
  identity?: BotIdentity;
  /** Requested certificate lifetime; the bot asks for expires = now + ttl. */
  certificateTtlMs: number;
  /** Deadline of the whole stream. */
  timeoutMs: number;
  clock: BotClock;
  log: BotLog;
}

/** A join that did not succeed: the gRPC status (or LOCAL for a client-side failure) and its message. */
export class BotJoinError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** True when the server never answered (unreachable, dropped stream): worth retrying. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'BotJoinError';
  }
}
