// Control API calls for the reference server's own tests: fetch with the
// server's credential and a timeout, JSON in and out.
import type { RunningAuthServer } from '../auth-server.js';

export interface ControlReply {
  status: number;
  body: Record<string, unknown> | undefined;
}

export async function control(server: Pick<RunningAuthServer, 'controlUrl' | 'controlCredential'>, method: string, route: string, body?: unknown): Promise<ControlReply> {
  const res = await fetch(new URL(route, server.controlUrl), {
    method,
    headers: { authorization: `Bearer ${server.controlCredential}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(15_000),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** A bot token with a pre-registered key, created through the control API. */
export async function createBotToken(server: Pick<RunningAuthServer, 'controlUrl' | 'controlCredential'>, name: string, onboarding: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await control(server, 'POST', 'tokens', {
    kind: 'token', version: 'v2', metadata: { name },
    spec: { roles: ['Bot'], bot_name: `${name}-bot`, join_method: 'bound_keypair', bound_keypair: { onboarding } },
  });
  if (res.status !== 201) throw new Error(`creating token ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body ?? {};
}
