// The embedded target: the reference auth server started inside the test
// process, on free loopback ports (join service, control API, web listener),
// with a virtual clock and in scripted mode, so scenarios that test bots can
// script faults on join streams and restarts. The fastest way to run the
// suite, and the one code coverage can see.
//
// BKP_STORE picks its store: memory (default), sqlite (a fresh temporary
// data directory) or postgres (a fresh schema in BKP_POSTGRES_URL), so the
// whole suite can be run against each store. On PostgreSQL the endpoints
// can also start a second server process sharing the store (see
// process.ts), for scenarios about several auth servers behind one backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startAuthServer } from '../../reference/auth/auth-server.js';
import type { StoreOptions } from '../../reference/auth/store/open-store.js';
import type { ServerEndpoints } from './endpoints.js';
import { launchProcessServer } from './process.js';

export async function launchInProcessServer(): Promise<ServerEndpoints & { close(): Promise<void> }> {
  const { store, cleanup } = storeFromEnvironment();
  const server = await startAuthServer({ clock: 'virtual', store, scripted: true, webPort: 0 });
  const endpoints: ServerEndpoints & { close(): Promise<void> } = {
    controlUrl: server.controlUrl,
    controlCredential: server.controlCredential,
    close: async () => {
      await server.close();
      await cleanup();
    },
  };
  if (store.kind === 'postgres') {
    const { url, schema } = store;
    endpoints.startSecondServer = () =>
      launchProcessServer({
        args: [
          '--postgres-url', url,
          '--postgres-schema', schema,
          '--cluster-name', server.clusterName,
          '--suite', server.authorities.suite,
          '--join-addr', '127.0.0.1:0',
          '--control-addr', '127.0.0.1:0',
          '--web-addr', '127.0.0.1:0',
        ],
        // In the environment rather than on the command line, where ps would show it.
        env: { BKP_CONTROL_CREDENTIAL: randomBytes(24).toString('base64url') },
      });
  }
  return endpoints;
}

/** Each run gets a fresh schema; dropped afterwards so runs do not pile up. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch {
    // Best effort: a leftover schema costs disk space, not correctness.
  } finally {
    await client.end().catch(() => {});
  }
}

function storeFromEnvironment(): { store: StoreOptions; cleanup: () => void | Promise<void> } {
  const kind = process.env.BKP_STORE ?? 'memory';
  switch (kind) {
    case 'memory':
      return { store: { kind: 'memory' }, cleanup: () => {} };
    case 'sqlite': {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'bkp-sqlite-'));
      return { store: { kind: 'sqlite', dataDir }, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
    }
    case 'postgres': {
      const url = process.env.BKP_POSTGRES_URL;
      if (!url) throw new Error('BKP_STORE=postgres needs BKP_POSTGRES_URL, e.g. postgresql://bkp:bkp@127.0.0.1:5432/bkp');
      const schema = `suite_${randomBytes(6).toString('hex')}`;
      return { store: { kind: 'postgres', url, schema }, cleanup: () => dropSchema(url, schema) };
    }
    default:
      throw new Error(`BKP_STORE must be memory, sqlite or postgres, not "${kind}"`);
  }
}
