// The server under fuzz: the real reference auth server (in memory, virtual
// clock, gRPC over TLS and the control API on loopback) with a fixed set of
// tokens, one per branch of the join, that the fuzz cases aim at. The store
// object is kept so a case can compare what it holds before and after.
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { encodeAuthorizedKey, generateKeyPair } from '../../reference/crypto/index.js';
import { startAuthServer } from '../../reference/auth/auth-server.js';
import type { RunningAuthServer } from '../../reference/auth/auth-server.js';
import { MemoryStore } from '../../reference/auth/store/memory-store.js';
import { control } from '../../reference/auth/testing/control.js';
import { honestJoin } from '../../reference/auth/testing/join-test-client.js';
import type { StoreSnapshot } from './store-diff.js';
import type { AuditEvent } from '../../reference/auth/audit/audit-event.js';

/** A token the honest client can join with, and what it holds to do so. */
export interface TokenFixture {
  name: string;
  role: 'Bot' | 'Instance';
  /** Private keys the honest client answers challenges with. */
  keys: KeyObject[];
  secret?: string;
  /** The join state and certificates of an earlier join (renewal, recovery). */
  joinState?: Buffer;
  identity?: { keyPem: string; certPem: string };
}

export interface FuzzTarget {
  server: RunningAuthServer;
  tokens: TokenFixture[];
  /** Lines the server logged since the last take (unexpected errors are logged there). */
  takeLog(): string[];
  /** The audit events recorded since the last take. */
  takeAuditEvents(): Promise<AuditEvent[]>;
  /**
   * Waits until every join attempt has ended on the server's side — a
   * handler can outlive its stream when the client goes away mid-ceremony —
   * and says whether that happened within `timeoutMs`.
   */
  quiescent(timeoutMs: number): Promise<boolean>;
  /** Tokens, locks and bot instances (not audit events). */
  snapshot(): Promise<StoreSnapshot>;
  /** Puts the fixture tokens back as they were (after a case that joined and so changed them). */
  reseed(): Promise<void>;
  /** Creates or removes a token for one case (a token with a malformed bound key). */
  createToken(name: string, onboarding: Record<string, unknown>): Promise<void>;
  deleteToken(name: string): Promise<void>;
  deleteLock(name: string): Promise<void>;
  close(): Promise<void>;
}

export const REGISTRATION_SECRET = 'fuzz-registration-secret';
const LONG_AGO = '2000-01-01T00:00:00Z';

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const store = new MemoryStore();
  const log: string[] = [];
  // Streams end quickly if a case leaves one waiting; the checks never rely on the deadline.
  const server = await startAuthServer({ store, clock: 'virtual', streamTimeoutMs: 10_000, log: (line) => log.push(line) });
  const k = () => generateKeyPair('ed25519').privateKey;
  const fixtures: TokenFixture[] = [
    { name: 'fz-key', role: 'Bot', keys: [k()] },
    { name: 'fz-secret', role: 'Bot', keys: [], secret: REGISTRATION_SECRET },
    { name: 'fz-rotate', role: 'Bot', keys: [generateKeyPair('ecdsa-p256').privateKey] },
    { name: 'fz-host', role: 'Instance', keys: [k()] },
    { name: 'fz-locked', role: 'Bot', keys: [k()] },
    { name: 'fz-expired', role: 'Bot', keys: [k()] },
    { name: 'fz-bound', role: 'Bot', keys: [k()] },
  ];
  const initialKeys = new Map(fixtures.map((f) => [f.name, [...f.keys]]));

  const seed = async () => {
    await store.clear();
    for (const f of fixtures) {
      f.keys = [...(initialKeys.get(f.name) ?? [])];
      delete f.joinState;
      delete f.identity;
      const key = f.keys[0];
      const onboarding = f.secret ? { registration_secret: f.secret } : { initial_public_key: encodeAuthorizedKey(key as KeyObject) };
      const bk: Record<string, unknown> = { onboarding, recovery: { limit: 1_000_000, mode: 'standard' } };
      if (f.name === 'fz-rotate') bk.rotate_after = LONG_AGO;
      await post('tokens', {
        kind: 'token', version: 'v2',
        metadata: { name: f.name, ...(f.name === 'fz-expired' ? { expires: LONG_AGO } : {}) },
        // An agent joins as Instance with a token for a local service role.
        spec: { roles: [f.role === 'Instance' ? 'Node' : 'Bot'], ...(f.role === 'Bot' ? { bot_name: `${f.name}-bot` } : {}), join_method: 'bound_keypair', bound_keypair: bk },
      });
    }
    await post('locks', { kind: 'lock', version: 'v2', metadata: { name: 'fz-lock' }, spec: { target: { join_token: 'fz-locked' }, message: 'locked for the fuzzer' } });
    // fz-bound has joined once: its next join is a renewal (with its certificate) or a recovery.
    const bound = fixtures.find((f) => f.name === 'fz-bound') as TokenFixture;
    const joined = await honestJoin(server, { token: bound.name, keys: bound.keys });
    const result = joined.result?.bot_result;
    if (joined.code !== 'OK' || !result?.certificates?.tls_cert || !result.bound_keypair_result?.join_state) {
      throw new Error(`fuzz fixture: the first join of fz-bound failed: ${joined.code} ${joined.details}`);
    }
    bound.joinState = result.bound_keypair_result.join_state;
    bound.identity = { keyPem: joined.subjectKeyPem, certPem: new X509Certificate(result.certificates.tls_cert).toString() };
  };

  const post = async (route: string, body: unknown) => {
    const res = await control(server, 'POST', route, body);
    if (res.status !== 201) throw new Error(`fuzz fixture: POST ${route}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  let auditSeen = 0;
  const takeAuditEvents = async () => {
    const events = await store.listAuditEvents({ since_index: auditSeen });
    auditSeen = Math.max(auditSeen, ...events.map((e) => e.index ?? 0));
    return events;
  };

  await seed();
  await takeAuditEvents();
  return {
    server,
    tokens: fixtures,
    takeLog: () => log.splice(0, log.length),
    snapshot: async () => ({ tokens: await store.listTokens(), locks: await store.listLocks(), botInstances: await store.listBotInstances() }),
    takeAuditEvents,
    quiescent: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const attempts = ((await control(server, 'GET', 'join-attempts')).body?.items ?? []) as { ended_at?: string }[];
        if (attempts.every((a) => a.ended_at !== undefined)) return true;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    reseed: async () => {
      await seed();
      // The store's event index starts again after a clear.
      auditSeen = 0;
      await takeAuditEvents();
    },
    createToken: async (name, onboarding) => {
      await post('tokens', {
        kind: 'token', version: 'v2', metadata: { name },
        spec: { roles: ['Bot'], bot_name: `${name}-bot`, join_method: 'bound_keypair', bound_keypair: { onboarding } },
      });
    },
    deleteToken: (name) => store.deleteToken(name),
    deleteLock: (name) => store.deleteLock(name),
    close: () => server.close(),
  };
}
