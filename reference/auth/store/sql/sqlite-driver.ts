// SQLite through better-sqlite3: one database file in the server's data
// directory. WAL mode so readers never wait for the writer; a busy timeout
// in case a second process opens the same file.
import Database from 'better-sqlite3';
import type { SqlDriver } from './sql-driver.js';

export function openSqlite(file: string): SqlDriver {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return {
    dialect: 'sqlite',
    async exec(sql) {
      db.exec(sql);
    },
    async run(sql, params = []) {
      return { changes: db.prepare(sql).run(...params).changes };
    },
    async all<T>(sql: string, params: unknown[] = []) {
      return db.prepare(sql).all(...params) as T[];
    },
    async close() {
      db.close();
    },
  };
}
