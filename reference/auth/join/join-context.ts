// What a join attempt carries from the generic join steps into a join
// method's handler.
import type { ClusterStore } from '../store/store.js';
import type { Clock } from '../clock/clock.js';
import type { ClusterAuthorities } from '../ca/cluster-authorities.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ProvisionToken } from '../tokens/token.js';
import type { ClientInit } from '../../protocol/messages.js';
import type { JoinStream } from './join-stream.js';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';

export interface CertificatePolicy {
  defaultTtlMs: number;
  maxTtlMs: number;
}

export interface JoinDeps {
  store: ClusterStore;
  clock: Clock;
  authorities: ClusterAuthorities;
  audit: AuditLog;
  certificates: CertificatePolicy;
  /** The cluster's signature algorithm suite now (it can change at run time). */
  suite: () => SignatureAlgorithmSuite;
}

/** Who the caller proved to be with a client certificate, if anyone. */
export interface AuthContext {
  botName?: string;
  botInstanceId?: string;
  generation?: number;
  joinToken?: string;
  hostId?: string;
  /** True for an identity whose only system role is Instance (agents). */
  isInstance?: boolean;
}

export interface JoinAttempt {
  stream: JoinStream;
  deps: JoinDeps;
  clientInit: ClientInit;
  token: ProvisionToken;
  role: string;
  auth: AuthContext;
  remoteAddr: string;
  /** Set by the handler once known: the bound keypair attributes of bot.join / instance.join events. */
  joinAttributes?: { public_key: string; recovery_count: number; recovery_mode: string };
}
