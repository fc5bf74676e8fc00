// What the benchmark asks of the server through the control API, and only
// through it (docs/control-api.md): bound keypair bot tokens with a
// pre-registered key or a registration secret, rotation requests, resets
// between measurements, the virtual clock and the stream deadline. None of
// it is ever timed.
import { encodeAuthorizedKey } from '../../reference/crypto/index.js';
import type { KeyObject } from 'node:crypto';
import { control } from '../../reference/auth/testing/control.js';

export interface ControlEndpoint {
  controlUrl: string;
  controlCredential: string;
}

export interface TokenPlan {
  name: string;
  /** A pre-registered key (initial_public_key), or else a registration secret. */
  initialKey?: KeyObject;
  secret?: string;
  /** Recovery mode and limit; relaxed lets a bot recover again and again. */
  recovery?: { mode: 'standard' | 'relaxed'; limit: number };
}

export async function createToken(api: ControlEndpoint, plan: TokenPlan): Promise<void> {
  const onboarding = plan.initialKey ? { initial_public_key: encodeAuthorizedKey(plan.initialKey) } : { registration_secret: plan.secret };
  await expect(api, 'POST', 'tokens', 201, {
    kind: 'token',
    version: 'v2',
    metadata: { name: plan.name },
    spec: {
      roles: ['Bot'],
      bot_name: `${plan.name}-bot`,
      join_method: 'bound_keypair',
      bound_keypair: { onboarding, recovery: plan.recovery ?? { mode: 'standard', limit: 1 } },
    },
  });
}

/** `tctl bound-keypair request-rotation`: the token's next join rotates the key. */
export async function requestRotation(api: ControlEndpoint, name: string): Promise<void> {
  await expect(api, 'POST', `tokens/${encodeURIComponent(name)}/rotation-request`, 200, {});
}

/** Clears tokens, bot instances, audit events and join records; the cluster's CAs stay. */
export async function resetServer(api: ControlEndpoint): Promise<void> {
  await expect(api, 'POST', 'reset', 204);
}

export async function serverClock(api: ControlEndpoint): Promise<Date> {
  const reply = await expect(api, 'GET', 'clock', 200);
  return new Date(String(reply?.now));
}

export async function advanceClock(api: ControlEndpoint, ms: number): Promise<Date> {
  const reply = await expect(api, 'POST', 'clock/advance', 200, { duration_ms: ms });
  return new Date(String(reply?.now));
}

export async function setStreamTimeout(api: ControlEndpoint, ms: number): Promise<void> {
  await expect(api, 'PATCH', 'settings', 200, { stream_timeout_ms: ms });
}

async function expect(api: ControlEndpoint, method: string, route: string, status: number, body?: unknown): Promise<Record<string, unknown> | undefined> {
  const reply = await control(api, method, route, body);
  if (reply.status !== status) throw new Error(`control API ${method} ${route}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Runs `task` for every item, at most `concurrency` at a time; the first failure fails the lot. */
export async function inParallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
