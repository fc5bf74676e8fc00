// A benchmark bot: the project's honest join client (reference/auth/testing/
// join-test-client.ts, one gRPC stream on a connection of its own, as a bot
// dials for each join) plus what a bot keeps between joins: its keys, its
// latest certificate (to renew over mutual TLS) and its latest join state
// (required from the first recovery on, onboarding included).
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { honestJoin } from '../../reference/auth/testing/join-test-client.js';
import type { JoinOutcome } from '../../reference/auth/testing/join-test-client.js';
import type { RunningAuthServer } from '../../reference/auth/auth-server.js';
import { derToPem } from '../../reference/auth/ca/cluster-authorities.js';

export interface JoinEndpoint {
  joinAddress: string;
  /** The cluster's host CA, which signed the join service's certificate. */
  hostCaPem: string;
}

/**
 * honestJoin takes a running server but reads only its join address and
 * host CA certificate; this is that much of one, for a server in another process.
 */
export function asJoinServer(e: JoinEndpoint): Pick<RunningAuthServer, 'joinAddress' | 'authorities'> {
  return { joinAddress: e.joinAddress, authorities: { hostCa: { certificatePem: e.hostCaPem } } } as unknown as Pick<RunningAuthServer, 'joinAddress' | 'authorities'>;
}

export class BenchBot {
  /** Newest first; a rotation puts the new key in front. */
  readonly keys: KeyObject[];
  identity: { keyPem: string; certPem: string; certDer: Buffer } | undefined;
  joinState: Buffer | undefined;

  constructor(readonly token: string, key: KeyObject, private readonly secret?: string) {
    this.keys = [key];
  }

  /**
   * One join. With `withIdentity` and a certificate held, a renewal over
   * mutual TLS; otherwise a recovery, or the onboarding if this bot never
   * joined (with its registration secret, if it has one).
   */
  async join(endpoint: JoinEndpoint, opts: { withIdentity: boolean }): Promise<JoinOutcome> {
    const identity = opts.withIdentity ? this.identity : undefined;
    const outcome = await honestJoin(asJoinServer(endpoint), {
      token: this.token,
      keys: this.keys,
      ...(this.secret && !this.identity && !this.joinState ? { secret: this.secret } : {}),
      ...(this.joinState ? { joinState: this.joinState } : {}),
      ...(identity ? { identity: { keyPem: identity.keyPem, certPem: identity.certPem } } : {}),
    });
    this.absorb(outcome);
    return outcome;
  }

  /** When the certificate held expires (read only when asked: parsing costs the load generator). */
  identityNotAfter(): Date | undefined {
    return this.identity ? new Date(new X509Certificate(this.identity.certDer).validTo) : undefined;
  }

  /** Forgets the certificate, as a bot whose certificate expired must recover. */
  dropIdentity(): void {
    this.identity = undefined;
  }

  private absorb(outcome: JoinOutcome): void {
    const result = outcome.result?.bot_result;
    if (outcome.code !== 'OK' || !result) return;
    const cert = result.certificates?.tls_cert;
    if (cert) this.identity = { keyPem: outcome.subjectKeyPem, certPem: derToPem(cert), certDer: cert };
    const state = result.bound_keypair_result?.join_state;
    if (state && state.length > 0) this.joinState = state;
  }
}
