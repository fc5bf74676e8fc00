// The little a SQL-backed store needs from a database: statements with `?`
// placeholders, the number of rows a write changed, and rows back. SQLite
// (synchronous, one file) and PostgreSQL (pooled, shared by several server
// processes) implement it; sql-store.ts is written once against it.
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  exec(sql: string): Promise<void>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}
