// ClusterStore over SQL. Tokens, locks and bot instances share one table of
// JSON documents keyed by (kind, name) with a revision; an update names the
// revision it read, so "UPDATE … WHERE revision = ?" changing no row is the
// conflict every concurrent join relies on. Audit events get their own
// append-only table; cluster records (the CAs) survive resets.
import { randomUUID } from 'node:crypto';
import type { ClusterStore } from '../store.js';
import type { SqlDriver } from './sql-driver.js';
import type { ProvisionToken } from '../../tokens/token.js';
import type { Lock } from '../../locks/lock.js';
import type { BotInstance } from '../../bot-instances/bot-instance.js';
import type { AuditEvent } from '../../audit/audit-event.js';
import { alreadyExists, compareFailed, notFound } from '../../../protocol/errors.js';

type Kind = 'token' | 'lock' | 'bot_instance';
type Revisioned = { metadata: { name: string; revision?: string } };

const KIND_NAMES: Record<Kind, string> = { token: 'token', lock: 'lock', bot_instance: 'bot instance' };

function schema(dialect: SqlDriver['dialect']): string {
  const serial = dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  return `
    CREATE TABLE IF NOT EXISTS resources (
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      revision TEXT NOT NULL,
      body TEXT NOT NULL,
      PRIMARY KEY (kind, name)
    );
    CREATE TABLE IF NOT EXISTS audit_events (
      idx ${serial},
      event TEXT NOT NULL,
      token_name TEXT,
      body TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS cluster_records (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );`;
}

export class SqlStore implements ClusterStore {
  readonly kind: string;

  private constructor(private readonly db: SqlDriver) {
    this.kind = db.dialect === 'postgres' ? 'postgresql' : 'sqlite';
  }

  static async open(db: SqlDriver): Promise<SqlStore> {
    try {
      await db.exec(schema(db.dialect));
    } catch (err) {
      // Two servers creating the tables of a fresh PostgreSQL schema at once:
      // IF NOT EXISTS is not atomic there (duplicate table or type). The
      // other server won; the second attempt finds the tables.
      const code = (err as { code?: string }).code;
      if (code !== '42P07' && code !== '23505') throw err;
      await db.exec(schema(db.dialect));
    }
    return new SqlStore(db);
  }

  getToken(name: string) { return this.get<ProvisionToken>('token', name); }
  listTokens() { return this.list<ProvisionToken>('token'); }
  createToken(token: ProvisionToken) { return this.create('token', token); }
  updateToken(token: ProvisionToken, expectedRevision: string) { return this.update('token', token, expectedRevision); }
  deleteToken(name: string) { return this.delete('token', name); }

  listLocks() { return this.list<Lock>('lock'); }
  getLock(name: string) { return this.get<Lock>('lock', name); }
  upsertLock(lock: Lock) { return this.upsert('lock', lock); }
  deleteLock(name: string) { return this.delete('lock', name); }

  getBotInstance(id: string) { return this.get<BotInstance>('bot_instance', id); }
  async listBotInstances(botName?: string) {
    const all = await this.list<BotInstance>('bot_instance');
    return all.filter((i) => botName === undefined || i.spec.bot_name === botName);
  }
  createBotInstance(instance: BotInstance) { return this.create('bot_instance', instance); }
  updateBotInstance(instance: BotInstance, expectedRevision: string) { return this.update('bot_instance', instance, expectedRevision); }

  async appendAuditEvent(event: AuditEvent): Promise<AuditEvent> {
    const rows = await this.db.all<{ idx: string | number }>(
      'INSERT INTO audit_events (event, token_name, body) VALUES (?, ?, ?) RETURNING idx',
      [event.event, event.token_name ?? null, JSON.stringify(event)],
    );
    return { ...event, index: Number(rows[0]?.idx) };
  }

  async listAuditEvents(filter: { event?: string; token_name?: string; since_index?: number } = {}): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.event !== undefined) { where.push('event = ?'); params.push(filter.event); }
    if (filter.token_name !== undefined) { where.push('token_name = ?'); params.push(filter.token_name); }
    if (filter.since_index !== undefined) { where.push('idx > ?'); params.push(filter.since_index); }
    const rows = await this.db.all<{ idx: string | number; body: string }>(
      `SELECT idx, body FROM audit_events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY idx`,
      params,
    );
    return rows.map((r) => ({ ...(JSON.parse(r.body) as AuditEvent), index: Number(r.idx) }));
  }

  async initClusterRecord(key: string, value: string): Promise<string> {
    await this.db.run('INSERT INTO cluster_records (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
    const rows = await this.db.all<{ value: string }>('SELECT value FROM cluster_records WHERE key = ?', [key]);
    return rows[0]?.value as string;
  }

  async putClusterRecord(key: string, value: string): Promise<void> {
    await this.db.run('INSERT INTO cluster_records (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async clear(): Promise<void> {
    await this.db.run('DELETE FROM resources');
    await this.db.run('DELETE FROM audit_events');
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async get<T>(kind: Kind, name: string): Promise<T | undefined> {
    const rows = await this.db.all<{ body: string }>('SELECT body FROM resources WHERE kind = ? AND name = ?', [kind, name]);
    return rows[0] ? (JSON.parse(rows[0].body) as T) : undefined;
  }

  private async list<T>(kind: Kind): Promise<T[]> {
    const rows = await this.db.all<{ body: string }>('SELECT body FROM resources WHERE kind = ? ORDER BY name', [kind]);
    return rows.map((r) => JSON.parse(r.body) as T);
  }

  private stamp<T extends Revisioned>(item: T): T {
    const stored = structuredClone(item);
    stored.metadata.revision = randomUUID();
    return stored;
  }

  private async create<T extends Revisioned>(kind: Kind, item: T): Promise<T> {
    const stored = this.stamp(item);
    const { changes } = await this.db.run(
      'INSERT INTO resources (kind, name, revision, body) VALUES (?, ?, ?, ?) ON CONFLICT (kind, name) DO NOTHING',
      [kind, stored.metadata.name, stored.metadata.revision, JSON.stringify(stored)],
    );
    if (changes === 0) throw alreadyExists(`${KIND_NAMES[kind]} "${item.metadata.name}" already exists`);
    return stored;
  }

  private async update<T extends Revisioned>(kind: Kind, item: T, expectedRevision: string): Promise<T> {
    const stored = this.stamp(item);
    const { changes } = await this.db.run(
      'UPDATE resources SET revision = ?, body = ? WHERE kind = ? AND name = ? AND revision = ?',
      [stored.metadata.revision, JSON.stringify(stored), kind, item.metadata.name, expectedRevision],
    );
    if (changes === 0) {
      if (!(await this.get(kind, item.metadata.name))) throw notFound(`${KIND_NAMES[kind]} "${item.metadata.name}" not found`);
      throw compareFailed(`${KIND_NAMES[kind]} "${item.metadata.name}" was modified concurrently (revision mismatch)`);
    }
    return stored;
  }

  private async upsert<T extends Revisioned>(kind: Kind, item: T): Promise<T> {
    const stored = this.stamp(item);
    await this.db.run(
      'INSERT INTO resources (kind, name, revision, body) VALUES (?, ?, ?, ?) ON CONFLICT (kind, name) DO UPDATE SET revision = excluded.revision, body = excluded.body',
      [kind, stored.metadata.name, stored.metadata.revision, JSON.stringify(stored)],
    );
    return stored;
  }

  private async delete(kind: Kind, name: string): Promise<void> {
    const { changes } = await this.db.run('DELETE FROM resources WHERE kind = ? AND name = ?', [kind, name]);
    if (changes === 0) throw notFound(`${KIND_NAMES[kind]} "${name}" not found`);
  }
}
