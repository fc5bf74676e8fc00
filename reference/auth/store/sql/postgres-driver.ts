// PostgreSQL through pg: a pool whose connections all use the store's own
// schema, so several clusters (e.g. parallel test workers) can share one
// database while several server processes of one cluster share a schema.
import pg from 'pg';
import type { SqlDriver } from './sql-driver.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgres(connectionString: string, schema: string): Promise<SqlDriver> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and _`);
  // search_path as a connection option: set before any query, on every pooled connection.
  const pool = new pg.Pool({ connectionString, max: 8, connectionTimeoutMillis: 10_000, statement_timeout: 10_000, options: `-c search_path=${schema}` });
  pool.on('error', () => {
    // An idle client died; the pool replaces it on the next query.
  });
  const setup = await pool.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (err) {
    // Two processes creating the same schema at once: one wins, both proceed.
    if ((err as { code?: string }).code !== '23505') throw err;
  } finally {
    setup.release();
  }
  const numbered = (sql: string) => {
    let i = 0;
    return sql.replace(/\?/g, () => `$${++i}`);
  };
  return {
    dialect: 'postgres',
    async exec(sql) {
      await pool.query(sql);
    },
    async run(sql, params = []) {
      const res = await pool.query(numbered(sql), params);
      return { changes: res.rowCount ?? 0 };
    },
    async all<T>(sql: string, params: unknown[] = []) {
      const res = await pool.query(numbered(sql), params);
      return res.rows as T[];
    },
    async close() {
      await pool.end();
    },
  };
}
