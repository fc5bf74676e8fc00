// In-memory ClusterStore. Values are deep-copied in and out so callers can
// never mutate stored state by accident; revisions are random UUIDs as in
// Teleport's backends.
import { randomUUID } from 'node:crypto';
import type { ClusterStore } from './store.js';
import type { ProvisionToken } from '../tokens/token.js';
import type { Lock } from '../locks/lock.js';
import type { BotInstance } from '../bot-instances/bot-instance.js';
import type { AuditEvent } from '../audit/audit-event.js';
import { alreadyExists, compareFailed, notFound } from '../../protocol/errors.js';

type Revisioned = { metadata: { name: string; revision?: string } };

class Collection<T extends Revisioned> {
  private readonly items = new Map<string, T>();
  constructor(private readonly what: string) {}

  get(name: string): T | undefined {
    const item = this.items.get(name);
    return item ? structuredClone(item) : undefined;
  }
  list(): T[] {
    return [...this.items.values()].map((i) => structuredClone(i));
  }
  create(item: T): T {
    if (this.items.has(item.metadata.name)) throw alreadyExists(`${this.what} "${item.metadata.name}" already exists`);
    return this.put(item);
  }
  update(item: T, expectedRevision: string): T {
    const current = this.items.get(item.metadata.name);
    if (!current) throw notFound(`${this.what} "${item.metadata.name}" not found`);
    if (current.metadata.revision !== expectedRevision) {
      throw compareFailed(`${this.what} "${item.metadata.name}" was modified concurrently (revision mismatch)`);
    }
    return this.put(item);
  }
  upsert(item: T): T {
    return this.put(item);
  }
  delete(name: string): void {
    if (!this.items.delete(name)) throw notFound(`${this.what} "${name}" not found`);
  }
  clear(): void {
    this.items.clear();
  }
  private put(item: T): T {
    const stored = structuredClone(item);
    stored.metadata.revision = randomUUID();
    this.items.set(stored.metadata.name, stored);
    return structuredClone(stored);
  }
}

export class MemoryStore implements ClusterStore {
  readonly kind = 'memory';
  private readonly tokens = new Collection<ProvisionToken>('token');
  private readonly locks = new Collection<Lock>('lock');
  private readonly instances = new Collection<BotInstance>('bot instance');
  private readonly records = new Map<string, string>();
  private events: AuditEvent[] = [];
  private nextIndex = 1;

  async getToken(name: string) { return this.tokens.get(name); }
  async listTokens() { return this.tokens.list(); }
  async createToken(token: ProvisionToken) { return this.tokens.create(token); }
  async updateToken(token: ProvisionToken, expectedRevision: string) { return this.tokens.update(token, expectedRevision); }
  async deleteToken(name: string) { this.tokens.delete(name); }

  async listLocks() { return this.locks.list(); }
  async getLock(name: string) { return this.locks.get(name); }
  async upsertLock(lock: Lock) { return this.locks.upsert(lock); }
  async deleteLock(name: string) { this.locks.delete(name); }

  async getBotInstance(id: string) { return this.instances.get(id); }
  async listBotInstances(botName?: string) {
    return this.instances.list().filter((i) => botName === undefined || i.spec.bot_name === botName);
  }
  async createBotInstance(instance: BotInstance) { return this.instances.create(instance); }
  async updateBotInstance(instance: BotInstance, expectedRevision: string) { return this.instances.update(instance, expectedRevision); }

  async appendAuditEvent(event: AuditEvent) {
    const stored = { ...structuredClone(event), index: this.nextIndex++ };
    this.events.push(stored);
    return structuredClone(stored);
  }
  async listAuditEvents(filter: { event?: string; token_name?: string; since_index?: number } = {}) {
    return this.events
      .filter((e) => filter.event === undefined || e.event === filter.event)
      .filter((e) => filter.token_name === undefined || e.token_name === filter.token_name)
      .filter((e) => filter.since_index === undefined || (e.index ?? 0) > filter.since_index)
      .map((e) => structuredClone(e));
  }

  async initClusterRecord(key: string, value: string) {
    if (!this.records.has(key)) this.records.set(key, value);
    return this.records.get(key) as string;
  }

  async putClusterRecord(key: string, value: string) {
    this.records.set(key, value);
  }

  async clear() {
    this.tokens.clear();
    this.locks.clear();
    this.instances.clear();
    this.events = [];
    this.nextIndex = 1;
  }
  async close() {}
}
