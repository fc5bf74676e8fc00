// The mutant switch: only BKP_MUTANT selects a mutant, an unknown id stops
// the process at start, and a server running one says so loudly and in its
// capabilities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTANTS } from './mutants.js';
import { UnknownMutantError, activeMutant, mutantActive, mutantCapability, mutantWarning, selectedMutant } from './switch.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs an ES module snippet with tsx in a fresh process, with BKP_MUTANT as given. */
function runWith(mutant: string, code: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, BKP_MUTANT: mutant };
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('BKP_MUTANT unset or empty selects nothing; a listed id selects that mutant; any other id is refused', () => {
  assert.equal(selectedMutant({}), undefined);
  assert.equal(selectedMutant({ BKP_MUTANT: '' }), undefined);
  assert.equal(selectedMutant({ BKP_MUTANT: 'server-nonce-not-compared' }), MUTANTS[0]);
  assert.throws(() => selectedMutant({ BKP_MUTANT: 'server-nonce-not-compare' }), UnknownMutantError);
});

test('this test process runs no mutant (nothing else can switch one on)', () => {
  assert.equal(activeMutant(), undefined);
  assert.equal(mutantActive('server-nonce-not-compared'), false);
  assert.deepEqual(mutantCapability(), {});
});

test('the warning names the mutant, what it breaks and that it is deliberately broken', () => {
  const line = mutantWarning(MUTANTS[0]);
  assert.match(line, /^!!! BKP_MUTANT=server-nonce-not-compared: the reference auth server is DELIBERATELY BROKEN \(.*breaks BKP-CHL-018\)/);
  assert.ok(line.endsWith('\n'));
  const bot = MUTANTS.find((m) => m.side === 'bot');
  assert.ok(bot);
  assert.match(mutantWarning(bot), new RegExp(`^!!! BKP_MUTANT=${bot.id}: the reference bot is DELIBERATELY BROKEN`));
});

test('a process started with an unknown mutant fails at start with exit code 2, naming it', () => {
  const r = runWith('server-no-such-mutant', "await import('./reference/auth/auth-server.ts');");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /BKP_MUTANT="server-no-such-mutant" names no mutant listed in reference\/mutants\/mutants\.ts/);
});

test('a reference server started with a mutant warns on stderr and reports it in GET capabilities', () => {
  const r = runWith('server-lock-expiry-ignored', `
    const { startAuthServer } = await import('./reference/auth/auth-server.ts');
    const server = await startAuthServer({ webPort: 0 });
    const base = server.controlUrl.endsWith('/') ? server.controlUrl : server.controlUrl + '/';
    const res = await fetch(new URL('capabilities', base), { headers: { authorization: 'Bearer ' + server.controlCredential } });
    process.stdout.write(JSON.stringify((await res.json()).mutant));
    await server.close();`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '"server-lock-expiry-ignored"');
  assert.match(r.stderr, /^!!! BKP_MUTANT=server-lock-expiry-ignored: the reference auth server is DELIBERATELY BROKEN/m);
});
