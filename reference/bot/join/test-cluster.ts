// Test support for the join client's tests only (not exported from
// index.ts): the reference auth server in-process on a virtual clock the bot
// shares, and a small client for its control API (docs/control-api.md).
import { startAuthServer } from '../../auth/auth-server.js';
import type { RunningAuthServer } from '../../auth/auth-server.js';
import { VirtualClock } from '../../auth/clock/clock.js';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';
import type { BotClock } from '../clock.js';
import type { ServerTrust } from './join-types.js';

export type Json = Record<string, unknown>;

export interface TestCluster {
  server: RunningAuthServer;
  clock: VirtualClock;
  /** The bot's clock: the server's virtual clock. */
  botClock: BotClock;
  trust: ServerTrust;
  control(method: string, route: string, body?: unknown): Promise<{ status: number; body: Json }>;
  /** Creates a Bot token for `bot` with the given spec.bound_keypair; returns the stored token. */
  createToken(name: string, boundKeypair: Json): Promise<Json>;
  tokenStatus(name: string): Promise<Json>;
  close(): Promise<void>;
}

export async function startTestCluster(suite: SignatureAlgorithmSuite = 'balanced-v1'): Promise<TestCluster> {
  const clock = new VirtualClock(new Date());
  const server = await startAuthServer({ clock, suite, clusterName: 'bot-test.example' });
  const control = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(new URL(route, server.controlUrl.endsWith('/') ? server.controlUrl : `${server.controlUrl}/`), {
      method,
      headers: { authorization: `Bearer ${server.controlCredential}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(5_000),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Json };
  };
  const expectOk = (what: string, res: { status: number; body: Json }) => {
    if (res.status >= 300) throw new Error(`${what}: control API answered ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    server,
    clock,
    botClock: { now: () => clock.now() },
    trust: { caPems: [server.authorities.hostCa.certificatePem], serverName: server.clusterName },
    control,
    async createToken(name, boundKeypair) {
      return expectOk(`creating token ${name}`, await control('POST', 'tokens', {
        kind: 'token', version: 'v2', metadata: { name },
        spec: { roles: ['Bot'], bot_name: `${name}-bot`, join_method: 'bound_keypair', bound_keypair: boundKeypair },
      }));
    },
    async tokenStatus(name) {
      const token = expectOk(`reading token ${name}`, await control('GET', `tokens/${encodeURIComponent(name)}`));
      return ((token.status as Json | undefined)?.bound_keypair ?? {}) as Json;
    },
    close: () => server.close(),
  };
}
