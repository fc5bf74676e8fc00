// Chooses the store from the server's options: in memory (default), SQLite
// in a data directory, or a PostgreSQL schema shared by several servers.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ClusterStore } from './store.js';
import { MemoryStore } from './memory-store.js';
import { SqlStore } from './sql/sql-store.js';
import { openSqlite } from './sql/sqlite-driver.js';
import { openPostgres } from './sql/postgres-driver.js';

export type StoreOptions =
  | { kind: 'memory' }
  | { kind: 'sqlite'; dataDir: string }
  | { kind: 'postgres'; url: string; schema: string };

export async function openStore(options: StoreOptions): Promise<ClusterStore> {
  switch (options.kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite':
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      return SqlStore.open(openSqlite(path.join(options.dataDir, 'cluster.sqlite')));
    case 'postgres':
      return SqlStore.open(await openPostgres(options.url, options.schema));
  }
}
