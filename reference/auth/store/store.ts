// The store seam: everything the auth server persists. Every write of a
// token, lock or bot instance returns the stored value with a new revision;
// updates are conditional on the revision the caller read, so concurrent
// joins cannot overwrite each other (the loser gets CompareFailed and the join
// handler re-reads). Implementations: memory (this file's sibling), SQLite
// and PostgreSQL (durable, later).
import type { ProvisionToken } from '../tokens/token.js';
import type { Lock } from '../locks/lock.js';
import type { BotInstance } from '../bot-instances/bot-instance.js';
import type { AuditEvent } from '../audit/audit-event.js';

export interface ClusterStore {
  readonly kind: string;

  getToken(name: string): Promise<ProvisionToken | undefined>;
  listTokens(): Promise<ProvisionToken[]>;
  /** AlreadyExists when the name is taken. */
  createToken(token: ProvisionToken): Promise<ProvisionToken>;
  /** CompareFailed unless the stored revision equals expectedRevision; NotFound if absent. */
  updateToken(token: ProvisionToken, expectedRevision: string): Promise<ProvisionToken>;
  /** NotFound when absent. */
  deleteToken(name: string): Promise<void>;

  listLocks(): Promise<Lock[]>;
  getLock(name: string): Promise<Lock | undefined>;
  upsertLock(lock: Lock): Promise<Lock>;
  deleteLock(name: string): Promise<void>;

  getBotInstance(id: string): Promise<BotInstance | undefined>;
  listBotInstances(botName?: string): Promise<BotInstance[]>;
  createBotInstance(instance: BotInstance): Promise<BotInstance>;
  updateBotInstance(instance: BotInstance, expectedRevision: string): Promise<BotInstance>;

  appendAuditEvent(event: AuditEvent): Promise<AuditEvent>;
  listAuditEvents(filter?: { event?: string; token_name?: string; since_index?: number }): Promise<AuditEvent[]>;

  /**
   * Cluster-wide records, such as the serialized certificate authorities:
   * created once, then shared by every server process using this store.
   * Inserts `value` unless the key exists; returns what is stored.
   */
  initClusterRecord(key: string, value: string): Promise<string>;
  /** Replaces a cluster record (e.g. after a CA rotation). */
  putClusterRecord(key: string, value: string): Promise<void>;

  /** Removes every token, lock, bot instance and audit event (the conformance reset); cluster records stay. */
  clear(): Promise<void>;
  close(): Promise<void>;
}
