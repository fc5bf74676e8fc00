// Agents (the AGT area): what an agent's join sent and received, read on the
// client's side, and what the scenario remembers about host IDs. An agent
// client is an ordinary bot client of the suite (support/world.ts) — a
// keypair, its latest join state and certificate — that joins as system role
// Instance (steps/agents.steps.ts). Nothing here reaches into the server.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { HostParams, HostResult, JoinRequest } from '../../reference/protocol/messages.js';
import { parseIdentityCertificate } from '../../reference/crypto/index.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';
import type { Json } from './control-client.js';
import { boundKeypairStatus } from './server-state.js';

interface AgentMemory {
  /** The host ID named by the certificate the last agent join presented ('' when it presented none). */
  presentedHostId: string;
  /** Every host ID a join of this scenario returned, oldest first. */
  hostIds: string[];
}

export const agentMemory = scenarioState<AgentMemory>(() => ({ presentedHostId: '', hostIds: [] }));

/** The host ID a certificate names (its CN, for a host identity), or '' for any other identity. */
export function hostIdInCertificate(der: Buffer): string {
  return parseIdentityCertificate(der).hostId ?? '';
}

export function hostResult(world: BkpWorld): HostResult {
  const o = world.outcome();
  assert.ok(o.ok, `the last join did not succeed: ${o.end.codeName} ${o.end.details}`);
  const last = o.wire.filter((w) => w.direction === 'server').at(-1);
  assert.equal(last?.type, '*messages.HostResult', `the join ended with ${last?.type ?? 'no message'}, not a HostResult`);
  assert.ok(o.result, 'the last join returned no result');
  return o.result as HostResult;
}

/** The HostParams the agent sent in its BoundKeypairInit, read back from the wire record. */
export function sentHostParams(world: BkpWorld): HostParams {
  const sent = world.outcome().wire.find((w) => w.direction === 'client' && w.type === '*messages.BoundKeypairInit');
  const params = (sent?.message as JoinRequest | undefined)?.bound_keypair_init?.client_params?.host_params;
  assert.ok(params, 'the client sent no HostParams in its BoundKeypairInit');
  return params;
}

export function tlsCertificateOf(result: HostResult): X509Certificate {
  const der = result.certificates?.tls_cert;
  assert.ok(der && der.length > 0, 'the HostResult has no TLS certificate');
  return new X509Certificate(der);
}

/** The token's status as the last join found it (snapshot) and as it is now. */
export async function statusBeforeAndAfter(world: BkpWorld, token: string): Promise<{ before: Json; after: Json }> {
  assert.ok(world.before, 'no state was recorded before the last join');
  return { before: boundKeypairStatus(world.before.tokens.get(token)), after: boundKeypairStatus(await world.control.getToken(token)) };
}


