// Runs the whole feature suite against the embedded reference server once per
// durable store: SQLite always, PostgreSQL when BKP_POSTGRES_URL names a
// database (CI starts one; on a machine without it the run says so and
// skips it rather than pretending). Exits non-zero if any run fails.
// Scenarios tagged @client test a bot, not the server's store; they run once,
// in the in-memory run, and are left out here.
import { spawnSync } from 'node:child_process';

const stores: { name: string; env: Record<string, string> }[] = [{ name: 'sqlite', env: { BKP_STORE: 'sqlite' } }];
if (process.env.BKP_POSTGRES_URL) stores.push({ name: 'postgres', env: { BKP_STORE: 'postgres' } });
else process.stdout.write('PostgreSQL store: skipped (set BKP_POSTGRES_URL, e.g. postgresql://bkp:bkp@127.0.0.1:5432/bkp)\n');

let failed = false;
for (const store of stores) {
  process.stdout.write(`\n== features against the ${store.name} store\n`);
  const result = spawnSync('npx', ['cucumber-js', '--profile', 'stores', '--tags', 'not @client', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...store.env, NODE_OPTIONS: '--import tsx' },
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
