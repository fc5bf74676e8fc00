// Agents (the AGT area): Teleport services — SSH nodes, app and database
// agents — joining through a bound keypair token with system role Instance.
// An agent client is a bot client of the suite (a keypair, its latest join
// state and certificate, tbot-like between joins) that joins as Instance and
// sends HostParams, with its own name as host name. These steps add what the
// shared sentences do not say: agent tokens (local service roles, no bot
// name), joins "as an agent", and what a HostResult, a host certificate and
// an agent's join state must say.
//
// Every sentence here names an agent ("as an agent", "agent token", "the
// agent's …"), so it cannot collide with another area's steps.
//
// Scenarios tagged @needs-role-Instance need a target that serves agents
// (`Instance` among capabilities.roles); elsewhere the shared gating in
// support/hooks.ts skips them as not applicable.
import { Given, When, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { parseIdentityCertificate, parseSshCertificate, parseSshWirePublicKey, publicKeysEqual } from '../reference/crypto/index.js';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { JoinOutcome, JoinPlan } from './support/ceremony.js';
import { signingWith } from './support/ceremony.js';
import { certificateStillValid } from './support/bot-memory.js';
import { setPath, typedValue } from './support/values.js';
import { joinStateClaims } from './support/join-state-scene.js';
import { auditEventsSinceLastJoin, boundKeypairStatus } from './support/server-state.js';
import { join } from './join.steps.js';
import { agentMemory, hostIdInCertificate, hostResult, sentHostParams, statusBeforeAndAfter, tlsCertificateOf } from './support/agents-joins.js';

const RECOVERY_EVENT = 'join_token.bound_keypair.recovery';

// ---------------------------------------------------------------- helpers

/**
 * An agent's join: the shared join() as system role Instance, with the
 * client's name as host name unless the plan says otherwise. The
 * certificate is decided as tbot decides (presented while still valid on
 * the server's clock) unless the plan sets `identity`.
 */
export async function joinAsAgent(world: BkpWorld, who: string, plan: Partial<JoinPlan> & { tokenName: string }): Promise<JoinOutcome> {
  const client = world.client(who);
  const identity = 'identity' in plan ? plan.identity : await certificateStillValid(world, client);
  const memory = agentMemory(world);
  memory.presentedHostId = identity ? hostIdInCertificate(Buffer.from(new X509Certificate(identity.certPem).raw)) : '';
  const outcome = await join(world, who, { role: 'Instance', hostName: who, ...plan, identity });
  if (outcome.ok && outcome.hostId) memory.hostIds.push(outcome.hostId);
  return outcome;
}

/** A table row's field: a full path (metadata., spec., status.) or one under spec.bound_keypair. */
function fieldPath(field: string): string {
  return /^(metadata|spec|status)\./.test(field) ? field : `spec.bound_keypair.${field}`;
}

/** A bound keypair token for agents: the given roles, no bot_name. */
async function agentToken(world: BkpWorld, name: string, roles: string, table?: DataTable): Promise<void> {
  const token: Json = {
    kind: 'token',
    version: 'v2',
    metadata: { name },
    spec: { roles: roles.split(',').map((r) => r.trim()).filter(Boolean), join_method: 'bound_keypair', bound_keypair: {} },
  };
  for (const [field, raw] of table?.raw() ?? []) setPath(token, fieldPath(field ?? ''), await typedValue(world, raw ?? ''));
  await world.control.createToken(token);
}

/** Teleport names a host `<host ID>.<cluster>` in its certificate; the host ID alone is accepted too. */
function namesHost(world: BkpWorld, name: string | undefined, hostId: string): boolean {
  return name === hostId || name === `${hostId}.${world.clusterName}`;
}

// ---------------------------------------------------------------- tokens

Given(/^a bound keypair token "([^"]+)" for agents with roles \[([^\]]+)\]$/, async function (this: BkpWorld, name: string, roles: string) {
  await agentToken(this, name, roles);
});

Given(/^a bound keypair token "([^"]+)" for agents with roles \[([^\]]+)\] and:$/, async function (this: BkpWorld, name: string, roles: string, table: DataTable) {
  await agentToken(this, name, roles, table);
});

/*
 * A raw backend write of an agent token's whole bound_keypair status
 * (control API feature raw-status-write), for the states Teleport's own
 * tests build with an internal upsert (e.g. a bound key and a host ID
 * `asdf` that no join ever produced). Placeholders are resolved.
 */
Given('the raw status of agent token {string} is written as:', async function (this: BkpWorld, token: string, table: DataTable) {
  const status: Json = {};
  for (const [field, raw] of table.raw()) status[field ?? ''] = await typedValue(this, raw ?? '');
  await this.control.writeTokenStatus(token, { bound_keypair: status });
  const stored = boundKeypairStatus(await this.control.getToken(token));
  for (const [field, value] of Object.entries(status)) {
    // A stored status may leave zero and empty values out.
    const empty = value === 0 || value === '';
    assert.ok(empty ? !stored[field] : stored[field] === value, `the raw status write did not set ${field}: ${JSON.stringify(stored[field])}`);
  }
});

// ---------------------------------------------------------------- joins

When('{string} joins with token {string} as an agent', async function (this: BkpWorld, who: string, token: string) {
  await joinAsAgent(this, who, { tokenName: token });
});

When('{string} renews with token {string} as an agent', async function (this: BkpWorld, who: string, token: string) {
  const identity = this.client(who).identity;
  assert.ok(identity, `"${who}" holds no certificate to renew with`);
  await joinAsAgent(this, who, { tokenName: token, identity });
});

When('{string} recovers with token {string} as an agent', async function (this: BkpWorld, who: string, token: string) {
  await joinAsAgent(this, who, { tokenName: token, identity: undefined });
});

Given('{string} has completed a join with token {string} as an agent', async function (this: BkpWorld, who: string, token: string) {
  const o = await joinAsAgent(this, who, { tokenName: token });
  assert.ok(o.ok, `the agent's join should have succeeded, but it ended with ${o.end.codeName}: ${o.end.details}`);
  assert.ok(o.hostId, 'the agent was given no host ID');
});

Given('{string} has recovered {int} time(s) with token {string} as an agent', async function (this: BkpWorld, who: string, times: number, token: string) {
  for (let i = 1; i <= times; i++) {
    const o = await joinAsAgent(this, who, { tokenName: token, identity: undefined });
    assert.ok(o.ok, `the agent's recovery ${i} of ${times} ended with ${o.end.codeName}: ${o.end.details}`);
  }
});

When("{string} joins with token {string} as an agent using the token's registration secret", async function (this: BkpWorld, who: string, token: string) {
  const secret = String(boundKeypairStatus(await this.control.getToken(token)).registration_secret ?? '');
  assert.ok(secret, `token "${token}" has no registration secret in its status`);
  await joinAsAgent(this, who, { tokenName: token, secret });
});

When('{string} joins with token {string} as an agent with an empty host name', async function (this: BkpWorld, who: string, token: string) {
  await joinAsAgent(this, who, { tokenName: token, hostName: '' });
});

When(/^"([^"]+)" (joins|renews|recovers) with token "([^"]+)" as an agent, signing the challenge with its own key$/, async function (this: BkpWorld, who: string, how: string, token: string) {
  const client = this.client(who);
  const own = client.keys[0];
  assert.ok(own, `"${who}" holds no key of its own to sign with`);
  const plan: Partial<JoinPlan> & { tokenName: string } = { tokenName: token, respond: signingWith(own) };
  if (how === 'renews') {
    assert.ok(client.identity, `"${who}" holds no certificate to renew with`);
    plan.identity = client.identity;
  }
  if (how === 'recovers') plan.identity = undefined;
  await joinAsAgent(this, who, plan);
});

// ---------------------------------------------------------------- the HostResult

Then('the agent received a HostResult with a host ID, certificates and a join state', function (this: BkpWorld) {
  const result = hostResult(this);
  assert.ok(result.host_id, 'HostResult.host_id is empty');
  const certs = result.certificates;
  assert.ok((certs?.tls_cert?.length ?? 0) > 0, 'no TLS certificate');
  assert.ok((certs?.tls_ca_certs?.length ?? 0) > 0, 'no TLS CA certificates');
  assert.ok((certs?.ssh_cert?.length ?? 0) > 0, 'no SSH certificate');
  assert.ok((certs?.ssh_ca_keys?.length ?? 0) > 0, 'no SSH CA keys');
  assert.ok((result.bound_keypair_result?.join_state?.length ?? 0) > 0, 'HostResult.bound_keypair_result carries no join state');
  assert.ok((result.bound_keypair_result?.public_key?.length ?? 0) > 0, 'HostResult.bound_keypair_result names no public key');
});

/*
 * A new host ID: not the one bound before the join, not one an earlier join
 * of the scenario returned; now bound to the token and named by the new
 * certificate. Agents never bind a bot instance.
 */
Then('the agent was given a new host ID, now bound to token {string}', async function (this: BkpWorld, token: string) {
  const result = hostResult(this);
  const hostId = result.host_id ?? '';
  assert.ok(hostId, 'HostResult.host_id is empty');
  const { before, after } = await statusBeforeAndAfter(this, token);
  assert.notEqual(hostId, String(before.bound_host_id ?? ''), 'the host ID is the one the token was bound to before the join');
  const earlier = agentMemory(this).hostIds.slice(0, -1);
  assert.ok(!earlier.includes(hostId), `the host ID ${hostId} was already given out earlier in this scenario`);
  assert.equal(after.bound_host_id, hostId, 'status.bound_keypair.bound_host_id vs HostResult.host_id');
  assert.ok(!after.bound_bot_instance_id, `an agent's join bound a bot instance: ${String(after.bound_bot_instance_id)}`);
  const identity = parseIdentityCertificate(tlsCertificateOf(result).raw);
  assert.ok(namesHost(this, identity.username, hostId), `the certificate's CN is ${identity.username}, not the host ID ${hostId}`);
});

/* The host ID of the presented certificate continues: in the result, the token and the new certificate. */
Then('the agent kept the host ID bound to token {string}', async function (this: BkpWorld, token: string) {
  const result = hostResult(this);
  const hostId = result.host_id ?? '';
  const { before, after } = await statusBeforeAndAfter(this, token);
  const presented = agentMemory(this).presentedHostId;
  assert.ok(presented, 'the agent presented no host certificate in its last join');
  assert.ok(namesHost(this, presented, String(before.bound_host_id ?? '')), `setting the scene: the presented certificate names ${presented}, the token was bound to ${String(before.bound_host_id)}`);
  assert.equal(hostId, before.bound_host_id, 'HostResult.host_id vs the host ID bound before the join');
  assert.equal(after.bound_host_id, before.bound_host_id, 'status.bound_keypair.bound_host_id changed');
  assert.ok(!after.bound_bot_instance_id, `an agent's join bound a bot instance: ${String(after.bound_bot_instance_id)}`);
  const identity = parseIdentityCertificate(tlsCertificateOf(result).raw);
  assert.ok(namesHost(this, identity.username, hostId), `the new certificate's CN is ${identity.username}, not the host ID ${hostId}`);
});

Then("the agent's TLS certificate was issued by the cluster's host CA for the TLS key it sent, with system role Instance and its host ID", async function (this: BkpWorld) {
  const result = hostResult(this);
  const cert = tlsCertificateOf(result);
  const inResult = (result.certificates?.tls_ca_certs ?? []).map((der) => new X509Certificate(der));
  const issuer = inResult.find((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
  assert.ok(issuer, `the TLS certificate (issuer ${cert.issuer}) verifies against none of the result's TLS CA certificates`);
  const cluster = await this.control.cluster();
  const hostCas = (cluster.host_ca_certificates as string[]).map((p) => new X509Certificate(p));
  assert.ok(hostCas.some((h) => h.raw.equals(issuer.raw)), `the issuing CA (${issuer.subject}) is not one of the cluster's host CA certificates`);
  const userCas = (cluster.user_ca_certificates as string[]).map((p) => new X509Certificate(p));
  assert.ok(!userCas.some((u) => cert.verify(u.publicKey)), 'the agent certificate verifies with the user CA: agents get host certificates');
  const sent = createPublicKey({ key: Buffer.from(sentHostParams(this).public_keys?.public_tls_key ?? Buffer.alloc(0)), format: 'der', type: 'spki' });
  assert.ok(publicKeysEqual(cert.publicKey, sent), 'the TLS certificate certifies another key than the public_tls_key the agent sent');
  const identity = parseIdentityCertificate(cert.raw);
  assert.ok(identity.systemRoles.includes('Instance') || identity.groups.includes('Instance'), `the certificate carries the system roles ${JSON.stringify(identity.systemRoles)} / groups ${JSON.stringify(identity.groups)}, not Instance`);
  assert.ok(!identity.botName, `the agent certificate names a bot: ${String(identity.botName)}`);
  assert.ok(!identity.botInstanceId, `the agent certificate names a bot instance: ${String(identity.botInstanceId)}`);
  assert.ok(namesHost(this, identity.hostId, result.host_id ?? ''), `the certificate names the host ${String(identity.hostId)}, not ${result.host_id}`);
  assert.equal(identity.clusterName, this.clusterName, 'the cluster named in the certificate');
});

Then("the agent's SSH certificate is a host certificate for the SSH key it sent, signed by one of the result's SSH CA keys, with its host ID and host name among the principals", function (this: BkpWorld) {
  const result = hostResult(this);
  const raw = result.certificates?.ssh_cert;
  assert.ok(raw && raw.length > 0, 'the HostResult has no SSH certificate');
  // parseSshCertificate also checks the signature against the embedded CA key.
  const parsed = parseSshCertificate(Buffer.from(raw));
  assert.equal(parsed.certType, 'host', 'the SSH certificate is not a host certificate');
  const params = sentHostParams(this);
  const sent = parseSshWirePublicKey(Buffer.from(params.public_keys?.public_ssh_key ?? Buffer.alloc(0)));
  assert.ok(publicKeysEqual(parsed.publicKey, sent), 'the SSH certificate certifies another key than the public_ssh_key the agent sent');
  const caKeys = (result.certificates?.ssh_ca_keys ?? []).map((k) => parseSshWirePublicKey(Buffer.from(k)));
  assert.ok(caKeys.some((k) => publicKeysEqual(k, parsed.signatureKey)), 'the SSH certificate is signed by none of the result\'s SSH CA keys');
  const hostName = params.host_name ?? '';
  assert.ok(hostName, 'setting the scene: the agent sent no host name');
  for (const principal of [result.host_id ?? '', hostName]) {
    assert.ok(parsed.principals.includes(principal), `the principals ${JSON.stringify(parsed.principals)} do not include ${principal}`);
  }
});

/* Agents' join states name their host: sub and host_id, never a bot instance (server §7.1). */
Then("the agent's join state names the host ID bound to token {string} as sub and host_id, and no bot instance", async function (this: BkpWorld, token: string) {
  const result = hostResult(this);
  const state = result.bound_keypair_result?.join_state;
  assert.ok(state && state.length > 0, 'the HostResult carries no join state');
  const claims = joinStateClaims(Buffer.from(state));
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_host_id ?? '');
  assert.ok(bound, `token "${token}" is bound to no host`);
  assert.equal(result.host_id, bound, 'HostResult.host_id vs the bound host ID');
  assert.equal(claims.sub, bound, 'sub');
  assert.equal(claims.host_id, bound, 'host_id');
  assert.ok(claims.bot_instance_id === undefined || claims.bot_instance_id === '', `an agent's join state names a bot instance: ${String(claims.bot_instance_id)}`);
});

// ---------------------------------------------------------------- what the join left

Then("the agent's join left the bot instances as they were and bound no bot instance to token {string}", async function (this: BkpWorld, token: string) {
  assert.ok(this.before, 'no state was recorded before the last join');
  const now = await this.control.listBotInstances();
  const byName = new Map(now.map((i) => [String((i.metadata as Json).name), i]));
  assert.deepEqual([...byName.keys()].sort(), [...this.before.botInstances.keys()].sort(), 'the agent\'s join created or deleted bot instances');
  for (const [name, instance] of this.before.botInstances) {
    assert.deepEqual(byName.get(name), instance, `the agent's join changed bot instance ${name}`);
  }
  const status = boundKeypairStatus(await this.control.getToken(token));
  assert.ok(!status.bound_bot_instance_id, `token "${token}" is bound to bot instance ${String(status.bound_bot_instance_id)}`);
});

/*
 * Exactly one BoundKeypairRecovery event since the join started, naming the
 * token and no bot (agent tokens have no bot_name), with the recovery count
 * and the token's recovery mode. Its key is the one the join was about: the
 * key bound after a success; on a failure, the key bound before the join or
 * the pre-registered key.
 */
Then(/^the agent's join recorded one (successful|failed) recovery event for token "([^"]+)" with recovery count (\d+) and no bot name$/, async function (this: BkpWorld, how: string, token: string, count: string) {
  const events = await auditEventsSinceLastJoin(this, { event: RECOVERY_EVENT, token_name: token });
  assert.equal(events.length, 1, `expected exactly one ${RECOVERY_EVENT} event for ${token} since the join started, got ${JSON.stringify(events)}`);
  const e = events[0] as Json;
  assert.equal(e.success, how === 'successful', `success of ${JSON.stringify(e)}`);
  assert.equal(e.token_name, token, 'token_name');
  assert.equal(e.bot_name ?? '', '', 'bot_name: an agent token names no bot');
  assert.equal(e.recovery_count, Number(count), 'recovery_count');
  const stored = await this.control.getToken(token);
  const spec = (stored.spec as Json).bound_keypair as Json;
  assert.equal(e.recovery_mode ?? '', String((spec.recovery as Json | undefined)?.mode ?? ''), 'recovery_mode');
  const { before, after } = await statusBeforeAndAfter(this, token);
  const initial = String((spec.onboarding as Json | undefined)?.initial_public_key ?? '');
  const expected = how === 'successful' ? String(after.bound_public_key ?? '') : String(before.bound_public_key || initial);
  assert.ok(expected, 'setting the scene: no key to expect in the event');
  assert.equal(e.public_key, expected, 'public_key');
});

Then("the agent certificate of {string} is still valid on the server's clock", async function (this: BkpWorld, who: string) {
  const client = this.client(who);
  assert.ok(client.identity, `"${who}" holds no certificate`);
  assert.ok(hostIdInCertificate(client.identity.certDer), `"${who}" holds no host certificate`);
  assert.ok(await certificateStillValid(this, client), `the certificate of "${who}" has expired on the server's clock`);
});
