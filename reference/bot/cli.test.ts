// End to end: `node bin/bkp.js bot …` as child processes against an
// in-process reference auth server (real clock, real gRPC/TLS, real files).
// Each story has its own token and storage, so the stories run concurrently.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAuthServer } from '../auth/auth-server.js';
import type { RunningAuthServer } from '../auth/auth-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BKP = join(ROOT, 'bin', 'bkp.js');
const STEP_TIMEOUT_MS = 30_000; // generous: each child compiles the TypeScript sources with tsx on start

// The story needs the join client (helper A) and the server's web listener (helper C).
const joinClientMissing = !existsSync(join(ROOT, 'reference/bot/join/join-client.ts'));

let server: RunningAuthServer | undefined;
let dir = '';
let caPath = '';
let skipReason: string | false = joinClientMissing ? 'the bot\'s join client (reference/bot/join/join-client.ts) does not exist yet' : false;

before(async () => {
  if (skipReason) return;
  dir = mkdtempSync(join(tmpdir(), 'bkp-bot-e2e-'));
  server = await startAuthServer({ clock: 'real', webPort: 0 });
  if (!server.webAddress) {
    skipReason = 'the reference auth server has no web listener (GET /webapi/find) yet';
    return;
  }
  const cluster = await control('GET', 'cluster') as { host_ca_certificates: string[] };
  caPath = join(dir, 'host-ca.pem');
  writeFileSync(caPath, cluster.host_ca_certificates.join('\n'));
});

after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const s = server as RunningAuthServer;
  const res = await fetch(new URL(path, s.controlUrl), {
    method,
    headers: { authorization: `Bearer ${s.controlCredential}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

interface TokenStatus { status?: { bound_keypair?: { registration_secret?: string; bound_public_key?: string; recovery_count?: number } } }

async function createToken(name: string, boundKeypair: Record<string, unknown>): Promise<TokenStatus> {
  return await control('POST', 'tokens', {
    kind: 'token', version: 'v2', metadata: { name },
    spec: { roles: ['Bot'], bot_name: `${name}-bot`, join_method: 'bound_keypair', bound_keypair: boundKeypair },
  }) as TokenStatus;
}

/** A running `bkp bot …` with its output collected. */
function bot(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child: ChildProcess = spawn(process.execPath, [BKP, 'bot', ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  return {
    child,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    /** The exit code, failing the test if the process outlives the step timeout. */
    async exit(): Promise<number> {
      const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    /** Waits until stderr has `count` lines matching `pattern`. */
    waitForLog(pattern: RegExp, count = 1): Promise<void> {
      const matches = () => stderr.split('\n').filter((l) => pattern.test(l)).length >= count;
      if (matches()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${stderr}`));
        }, STEP_TIMEOUT_MS);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        exited.then(() => { if (!matches()) { clearTimeout(timer); reject(new Error(`exited before ${pattern}:\n${stderr}`)); } });
      });
    },
  };
}

const authFlags = () => ['--auth-server', (server as RunningAuthServer).joinAddress, '--ca-path', caPath];

describe('bkp bot against the reference auth server', { concurrency: true }, () => {
  it('keypair create → pre-registered token → start --oneshot onboards (W-2, C-LC-6)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const storage = join(dir, 'preregistered');
    const create = bot(['keypair', 'create', '--storage', storage, '--proxy-server', (server as RunningAuthServer).webAddress, '--ca-path', caPath, '--format', 'json']);
    assert.equal(await create.exit(), 0, create.stderr);
    const publicKey = (JSON.parse(create.stdout) as { public_key: string }).public_key;
    assert.match(create.stderr, /INFO keypair has been written to storage/);
    await createToken('prereg', { onboarding: { initial_public_key: publicKey }, recovery: { limit: 1, mode: 'standard' } });
    const start = bot(['start', ...authFlags(), '--token', 'prereg', '--storage', storage, '--oneshot']);
    assert.equal(await start.exit(), 0, start.stderr);
    assert.match(start.stderr, /INFO Bot identity renewed kind=onboarding not_after=\d{4}-/);
    const token = await control('GET', 'tokens/prereg') as TokenStatus;
    assert.equal(token.status?.bound_keypair?.bound_public_key, publicKey);
    for (const item of ['id_bkp', 'id_bkp.pub', 'bkp_state', 'bkp_key_history.json', 'identity.tlscert']) assert.ok(existsSync(join(storage, item)), item);
  });

  it('a daemon onboards with a secret, renews on SIGUSR1 (authenticated), and stops cleanly on SIGTERM (C-LC-1, C-LC-5)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const created = await createToken('daemon', { recovery: { limit: 1, mode: 'standard' } });
    const secret = created.status?.bound_keypair?.registration_secret;
    assert.ok(secret);
    const storage = join(dir, 'daemon');
    const daemon = bot(['start', ...authFlags(), '--token', 'daemon', '--storage', storage, '--certificate-ttl', '10m', '--renewal-interval', '5m'],
      { TBOT_REGISTRATION_SECRET: secret });
    await daemon.waitForLog(/^INFO Bot identity renewed kind=onboarding/);
    await daemon.waitForLog(/^INFO Beginning bot identity renewal loop/);
    daemon.child.kill('SIGUSR1');
    await daemon.waitForLog(/^INFO Bot identity renewed kind=renewal/);
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exit(), 0, daemon.stderr);
    const token = await control('GET', 'tokens/daemon') as TokenStatus;
    assert.equal(token.status?.bound_keypair?.recovery_count, 1, 'the SIGUSR1 renewal did not consume a recovery');
    assert.equal(token.status?.bound_keypair?.registration_secret, '');
  });

  it('a refused first join exits 1 with the server\'s message and gRPC code (C-LC-3, §3.9)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const created = await createToken('exhausted', { recovery: { limit: 0, mode: 'standard' } });
    const storage = join(dir, 'exhausted');
    const start = bot(['start', ...authFlags(), '--token', 'exhausted', '--storage', storage, '--oneshot',
      '--registration-secret', created.status?.bound_keypair?.registration_secret ?? '']);
    assert.equal(await start.exit(), 1, start.stderr);
    assert.match(start.stderr, /^ERROR joining with token: .*no recovery attempts remaining.* code=PERMISSION_DENIED$/m);
  });

  it('a static key from the environment joins without writing bound keypair state (W-10)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const create = bot(['keypair', 'create', '--static', '--proxy-server', (server as RunningAuthServer).webAddress, '--ca-path', caPath, '--format', 'json']);
    assert.equal(await create.exit(), 0, create.stderr);
    const { public_key: publicKey, private_key: privateKey } = JSON.parse(create.stdout) as { public_key: string; private_key: string };
    await createToken('static', { onboarding: { initial_public_key: publicKey }, recovery: { limit: 1, mode: 'insecure' } });
    const storage = join(dir, 'static');
    const start = bot(['start', ...authFlags(), '--token', 'static', '--storage', storage, '--oneshot'], { TBOT_BOUND_KEYPAIR_STATIC_KEY: privateKey });
    assert.equal(await start.exit(), 0, start.stderr);
    assert.match(start.stderr, /A static keypair was configured and will be used instead of mutable internal key storage/);
    assert.ok(!existsSync(join(storage, 'id_bkp')) && !existsSync(join(storage, 'bkp_state')));
  });

  it('usage errors exit 2', async () => {
    const start = bot(['start', '--auth-server', '127.0.0.1:1', '--token', 't', '--storage', join(tmpdir(), 'unused'), '--join-method', 'token']);
    assert.equal(await start.exit(), 2);
    assert.match(start.stderr, /join method "token" is not supported by the reference bot/);
  });
});
