// The embedded target: the reference auth server started inside the test
// process, on free loopback ports, with a virtual clock. The fastest way to
// run the suite, and the one code coverage can see.
//
// BKP_STORE picks its store: memory (default), sqlite (a fresh temporary
// data directory) or postgres (a fresh schema in BKP_POSTGRES_URL), so the
// whole suite can be run against each store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startAuthServer } from '../../reference/auth/auth-server.js';
import type { StoreOptions } from '../../reference/auth/store/open-store.js';
import type { ServerEndpoints } from './endpoints.js';

export async function launchInProcessServer(): Promise<ServerEndpoints & { close(): Promise<void> }> {
  const { store, cleanup } = storeFromEnvironment();
  const server = await startAuthServer({ clock: 'virtual', store });
  return {
    controlUrl: server.controlUrl,
    controlCredential: server.controlCredential,
    close: async () => {
      await server.close();
      cleanup();
    },
  };
}

function storeFromEnvironment(): { store: StoreOptions; cleanup: () => void } {
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
      return { store: { kind: 'postgres', url, schema: `suite_${randomBytes(6).toString('hex')}` }, cleanup: () => {} };
    }
    default:
      throw new Error(`BKP_STORE must be memory, sqlite or postgres, not "${kind}"`);
  }
}
