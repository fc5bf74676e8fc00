// Wire protocol scenarios (features/protocol): the join stream's message
// order, ClientInit checks, error statuses, the stream timeout and message
// size limit, what a successful join returns, and the join audit events.
// Adversarial steps speak through a "wire client" (support/protocol-wire.ts)
// that sends one message at a time; honest joins reuse join.steps.ts.
import { After, Given, When, Then, defineParameterType } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import tls from 'node:tls';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { algorithmForKey, keyId, parseSshCertificate, parseSshWirePublicKey, publicKeysEqual } from '../reference/crypto/index.js';
import type { BotResult, JoinRequest } from '../reference/protocol/messages.js';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { REQUEST_KINDS, disposeWireClient, openWireClient, wireClient } from './support/protocol-wire.js';
import type { RequestKind, WireClient } from './support/protocol-wire.js';
import { join } from './join.steps.js';
import { auditEventsSinceLastJoin, boundKeypairStatus } from './support/server-state.js';

defineParameterType({
  name: 'prtrequest',
  regexp: new RegExp(REQUEST_KINDS.join('|')),
  transformer: (s: string) => s as RequestKind,
});

defineParameterType({
  name: 'prtresponse',
  regexp: /ServerInit|BoundKeypairChallenge|BoundKeypairRotationRequest|BotResult/,
  transformer: (s: string) => s,
});

/** Signature algorithm suite names Teleport defines (SignatureAlgorithmSuiteToString). */
const TELEPORT_SUITES = ['legacy', 'balanced-v1', 'fips-v1', 'hsm-v1'];

After(function (this: BkpWorld) {
  disposeWireClient(this);
});

// ---------------------------------------------------------------- wire client

function describeEvent(client: WireClient): string {
  const e = client.last;
  if (!e) return 'nothing yet';
  return e.kind === 'end' ? `the end of the stream (${e.end.codeName}: ${e.end.details})` : e.type;
}

async function maxMessageBytes(world: BkpWorld): Promise<number> {
  const limits = (await world.control.capabilities()).limits as Json | undefined;
  const max = Number(limits?.max_message_bytes);
  assert.ok(Number.isInteger(max) && max > 0, `the capabilities declare no limits.max_message_bytes: ${JSON.stringify(limits)}`);
  return max;
}

When('a wire client opens a join stream with a ClientInit for token {string}', async function (this: BkpWorld, token: string) {
  const client = await openWireClient(this, token);
  await client.send(await client.message('ClientInit'));
});

When('a wire client opens a join stream with this ClientInit:', async function (this: BkpWorld, table: DataTable) {
  const fields = Object.fromEntries(table.raw().map(([k, v]) => [k ?? '', v ?? '']));
  const client = await openWireClient(this, fields.token_name ?? '');
  const init: NonNullable<JoinRequest['client_init']> = {};
  if (fields.token_name) init.token_name = fields.token_name;
  if (fields.system_role) init.system_role = fields.system_role;
  if (fields.join_method) init.join_method = fields.join_method;
  await client.send({ client_init: init });
});

When('a wire client opens a join stream with a {prtrequest} instead of a ClientInit', async function (this: BkpWorld, kind: RequestKind) {
  const client = await openWireClient(this, 'robot-token');
  await client.send(await client.message(kind));
});

When("a wire client opens a join stream with a ClientInit larger than the server's maximum message size", async function (this: BkpWorld) {
  const max = await maxMessageBytes(this);
  const client = await openWireClient(this, 'x'.repeat(max + 1024));
  await client.send(await client.message('ClientInit'));
});

When('the wire client sends a {prtrequest}', async function (this: BkpWorld, kind: RequestKind) {
  const client = wireClient(this);
  await client.send(await client.message(kind));
});

When('the wire client sends a BoundKeypairInit with the registration secret of token {string}', async function (this: BkpWorld, token: string) {
  const secret = String(boundKeypairStatus(await this.control.getToken(token)).registration_secret ?? '');
  assert.ok(secret, `token "${token}" has no registration secret in its status`);
  const client = wireClient(this);
  await client.send(client.boundKeypairInit({ secret }));
});

When("the wire client sends a BoundKeypairInit larger than the server's maximum message size", async function (this: BkpWorld) {
  const max = await maxMessageBytes(this);
  const client = wireClient(this);
  await client.send(client.boundKeypairInit({ secret: 'x'.repeat(max + 1024) }));
});

When('the wire client gives up saying {string}', async function (this: BkpWorld, msg: string) {
  await wireClient(this).send({ giving_up: { reason: 'REASON_CHALLENGE_SOLUTION_FAILED', msg } });
});

When('the wire client closes its side of the stream', async function (this: BkpWorld) {
  await wireClient(this).closeSend();
});

When('the wire client stays silent until the join stream timeout has passed', { timeout: 15 * 60_000 }, async function (this: BkpWorld) {
  const { stream_timeout_ms: timeout } = await this.control.settings();
  // Wait for the server to end the stream: at most the timeout plus a margin.
  await wireClient(this).awaitAnswer(timeout + 10_000);
});

Then('the server answers the wire client with a(n) {prtresponse}', function (this: BkpWorld, type: string) {
  const client = wireClient(this);
  const e = client.last;
  assert.ok(e && e.kind === 'message' && e.type === `*messages.${type}`, `expected the server to answer with a ${type}, got ${describeEvent(client)}`);
});

function refused(world: BkpWorld) {
  const o = world.outcome();
  assert.ok(!o.ok, 'expected the join to fail, but it succeeded');
  assert.notEqual(o.end.code, 0, `a failed join must end with a non-OK status, got OK (${o.end.details})`);
  assert.equal(o.result, undefined, 'a failed join must not return a result');
  return o;
}

Then('the join is refused with an error status saying {string}', function (this: BkpWorld, text: string) {
  const o = refused(this);
  assert.ok(o.end.details.includes(text), `the error "${o.end.details}" (${o.end.codeName}) should contain "${text}"`);
});

Then('the join is refused with an error status and no Result', function (this: BkpWorld) {
  refused(this);
});

Then('the error status also says {string}', function (this: BkpWorld, text: string) {
  const o = this.outcome();
  assert.ok(o.end.details.includes(text), `the error "${o.end.details}" should also contain "${text}"`);
});

Then('the server refuses the oversized message with {grpcstatus}', function (this: BkpWorld, status: string) {
  const o = refused(this);
  assert.equal(o.end.codeName, status, `status (details: ${o.end.details})`);
});

Then('the server ended the stream no earlier than {duration} after it was opened', function (this: BkpWorld, ms: number) {
  const client = wireClient(this);
  assert.ok(client.endedAt !== undefined, 'the stream has not ended');
  const took = client.endedAt - client.openedAt;
  assert.ok(took >= ms, `the server ended the stream after ${took} ms, before the ${ms} ms timeout`);
});

Given('the join stream timeout is shortened to {duration} through the control API', async function (this: BkpWorld, ms: number) {
  const features = ((await this.control.capabilities()).features as string[] | undefined) ?? [];
  if (!features.includes('stream-timeout-setting')) return 'skipped';
  const settings = await this.control.updateSettings({ stream_timeout_ms: ms });
  assert.equal(settings.stream_timeout_ms, ms, 'the server did not take the new stream timeout');
  return undefined;
});

// ---------------------------------------------------------------- honest joins

Then('{string} can still join with token {string} right afterwards', async function (this: BkpWorld, who: string, token: string) {
  const o = await join(this, who, { tokenName: token });
  assert.ok(o.ok, `the server should still serve joins, but this one ended with ${o.end.codeName}: ${o.end.details}`);
});

When('the expiry time of token {string} passes on the server clock', async function (this: BkpWorld, token: string) {
  const caps = await this.control.capabilities();
  if (caps.clock_control !== true) return 'skipped';
  const expires = String(((await this.control.getToken(token)).metadata as Json).expires ?? '');
  assert.ok(expires, `token "${token}" has no metadata.expires`);
  const now = (await this.serverNow()).getTime();
  const step = Math.max(0, new Date(expires).getTime() - now) + 1000;
  await this.control.advanceClock(step);
  return undefined;
});

Then('the join stream carried, in this order:', function (this: BkpWorld, table: DataTable) {
  const expected = table.raw().map(([from, type]) => `${from} ${type}`);
  const actual = this.outcome().wire.map((w) => `${w.direction} ${w.type}`);
  assert.deepEqual(actual, expected, 'messages on the join stream');
});

Then('the join stream ended with status OK after exactly one Result', function (this: BkpWorld) {
  const o = this.outcome();
  assert.equal(o.end.codeName, 'OK', `the stream ended with ${o.end.codeName}: ${o.end.details}`);
  const fromServer = o.wire.filter((w) => w.direction === 'server');
  const results = fromServer.filter((w) => w.type === '*messages.BotResult' || w.type === '*messages.HostResult');
  assert.equal(results.length, 1, `the server sent ${results.length} Result messages`);
  assert.equal(fromServer.at(-1), results[0], 'the server sent messages after the Result');
});

Then("the announced signature algorithm suite is one of Teleport's suite names", function (this: BkpWorld) {
  const suite = this.outcome().serverInit?.signature_algorithm_suite ?? '';
  assert.ok(TELEPORT_SUITES.includes(suite), `ServerInit.signature_algorithm_suite "${suite}" is none of ${TELEPORT_SUITES.join(', ')}`);
});

When('{string} joins with token {string}, naming no join method in its ClientInit', async function (this: BkpWorld, who: string, token: string) {
  const o = await join(this, who, { tokenName: token });
  // The premise of the scenario, checked on what really went over the wire.
  const first = o.wire[0];
  assert.ok(first && first.direction === 'client' && first.type === '*messages.ClientInit', 'the stream did not start with a ClientInit');
  const init = (first.message as JoinRequest).client_init ?? {};
  assert.ok(init.join_method === undefined, `the ClientInit named join method "${init.join_method}"`);
});

// ---------------------------------------------------------------- the result

function botResult(world: BkpWorld): BotResult {
  const r = world.outcome().result;
  assert.ok(r, 'the last join returned no result');
  return r;
}

function tlsCertificate(world: BkpWorld): X509Certificate {
  const der = botResult(world).certificates?.tls_cert;
  assert.ok(der && der.length > 0, 'the result has no TLS certificate');
  return new X509Certificate(der);
}

function resultCaCertificates(world: BkpWorld): X509Certificate[] {
  const cas = botResult(world).certificates?.tls_ca_certs ?? [];
  assert.ok(cas.length > 0, 'the result has no TLS CA certificates');
  return cas.map((der, i) => {
    try {
      return new X509Certificate(der);
    } catch (err) {
      throw new Error(`tls_ca_certs[${i}] is not a DER X.509 certificate: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });
}

/** The public keys the client sent in its BoundKeypairInit, read back from the wire record. */
function sentSubjectKeys(world: BkpWorld): { tls: Buffer; ssh: Buffer } {
  const sent = world.outcome().wire.find((w) => w.direction === 'client' && w.type === '*messages.BoundKeypairInit');
  assert.ok(sent, 'the client sent no BoundKeypairInit');
  const keys = (sent.message as JoinRequest).bound_keypair_init?.client_params?.bot_params?.public_keys;
  assert.ok(keys?.public_tls_key && keys.public_ssh_key, 'the BoundKeypairInit carried no subject keys');
  return { tls: keys.public_tls_key, ssh: keys.public_ssh_key };
}

Then("the result's TLS certificate verifies against one of the result's TLS CA certificates", function (this: BkpWorld) {
  const cert = tlsCertificate(this);
  const cas = resultCaCertificates(this);
  const issuer = cas.find((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
  assert.ok(issuer, `the bot certificate (issuer ${cert.issuer}) verifies against none of the result's CA certificates (${cas.map((c) => c.subject).join('; ')})`);
});

Then("the result's TLS CA certificates include the cluster's host CA", async function (this: BkpWorld) {
  const hostCas = ((await this.control.cluster()).host_ca_certificates as string[]).map((p) => new X509Certificate(p));
  const inResult = resultCaCertificates(this);
  assert.ok(
    hostCas.some((h) => inResult.some((c) => c.raw.equals(h.raw))),
    `none of the result's CA certificates (${inResult.map((c) => c.subject).join('; ')}) is the cluster's host CA`,
  );
});

Then("a TLS client trusting only the result's TLS CA certificates accepts the join service's certificate", async function (this: BkpWorld) {
  const ca = resultCaCertificates(this).map((c) => c.toString());
  const url = new URL(`https://${this.join.address}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = tls.connect({ host, port: Number(url.port), ca, servername: this.join.serverName, ALPNProtocols: ['h2'] }, () => {
      socket.end();
      resolve();
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('TLS handshake timed out')));
    socket.on('error', (err) => reject(new Error(`the join service's certificate does not verify against the result's CA certificates: ${err.message}`)));
  });
});

Then('the TLS certificate certifies the TLS public key the bot sent in its BoundKeypairInit', function (this: BkpWorld) {
  const sent = createPublicKey({ key: sentSubjectKeys(this).tls, format: 'der', type: 'spki' });
  const cert = tlsCertificate(this);
  assert.ok(publicKeysEqual(cert.publicKey, sent), 'the TLS certificate is for another key than the public_tls_key the bot sent');
});

Then('the SSH certificate is an OpenSSH user certificate for the SSH public key the bot sent in its BoundKeypairInit', function (this: BkpWorld) {
  const raw = botResult(this).certificates?.ssh_cert;
  assert.ok(raw && raw.length > 0, 'the result has no SSH certificate');
  const parsed = parseSshCertificate(raw);
  assert.equal(parsed.certType, 'user', 'the SSH certificate is not a user certificate');
  const sent = parseSshWirePublicKey(sentSubjectKeys(this).ssh);
  assert.ok(publicKeysEqual(parsed.publicKey, sent), 'the SSH certificate certifies another key than the public_ssh_key the bot sent');
});

Then('the result carries a non-empty join state', function (this: BkpWorld) {
  const state = botResult(this).bound_keypair_result?.join_state;
  assert.ok(state && state.length > 0, 'the result has no join state');
});

Then("the result's bound public key is the key token {string} is bound to", async function (this: BkpWorld, token: string) {
  const inResult = botResult(this).bound_keypair_result?.public_key?.toString('utf8') ?? '';
  const status = boundKeypairStatus(await this.control.getToken(token));
  assert.ok(inResult, 'the result names no bound public key');
  assert.equal(inResult.trim(), String(status.bound_public_key ?? '').trim(), "the result's public_key differs from the token's status.bound_keypair.bound_public_key");
});

interface JoinState {
  header: ReturnType<typeof decodeProtectedHeader>;
  claims: Json;
  caKey: KeyObject;
}

/** Verifies the returned join state with the CA key its header names, and returns header and claims. */
async function joinState(world: BkpWorld): Promise<JoinState> {
  const jws = botResult(world).bound_keypair_result?.join_state?.toString('utf8') ?? '';
  assert.ok(jws, 'the result has no join state');
  const header = decodeProtectedHeader(jws);
  assert.ok(typeof header.kid === 'string' && header.kid, 'the join state header has no kid');
  const jwk = world.boundKeypairKeys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `the join state header names kid "${header.kid}", which is not among the cluster's bound_keypair CA keys`);
  const { kty, crv, x, y } = jwk as Record<string, string | undefined>;
  const caKey = createPublicKey({ key: { kty, crv, x, ...(y ? { y } : {}) } as never, format: 'jwk' });
  const { payload } = await compactVerify(jws, caKey);
  return { header, claims: JSON.parse(Buffer.from(payload).toString('utf8')) as Json, caKey };
}

Then('the join state header has typ {string} and names the bound_keypair CA key that signed it', async function (this: BkpWorld, typ: string) {
  const { header, caKey } = await joinState(this);
  assert.equal(header.typ, typ, 'typ');
  const alg = algorithmForKey(caKey);
  assert.ok(alg === 'ES256' || alg === 'EdDSA', `the bound_keypair CA key signs with ${alg}, not ES256 or EdDSA`);
  assert.equal(header.alg, alg, 'the header alg does not match the CA key that verifies the signature');
  assert.equal(header.kid, keyId(caKey), "the header kid is not the Teleport key ID of the CA key (base64url SHA-256 of its DER)");
});

Then("the join state was issued at the server's time of the join, is valid from {int} seconds earlier and has no expiry", async function (this: BkpWorld, skew: number) {
  const { claims } = await joinState(this);
  const iat = claims.iat;
  assert.ok(typeof iat === 'number' && Number.isInteger(iat), `iat ${JSON.stringify(iat)} is not a NumericDate`);
  const clock = await this.control.clock();
  const now = Math.floor(new Date(clock.now).getTime() / 1000);
  if (clock.kind === 'virtual') {
    // A virtual clock stands still between the join and this check.
    assert.equal(iat, now, `iat ${iat} is not the server's time ${now}`);
  } else {
    assert.ok(iat <= now && now - iat <= 60, `iat ${iat} is not the server's time of the join (now ${now})`);
  }
  assert.equal(claims.nbf, iat - skew, `nbf ${JSON.stringify(claims.nbf)} should be iat − ${skew} s`);
  assert.equal(claims.exp, undefined, 'the join state must carry no exp claim');
});

Then("the join state's bot_instance_id and recovery_sequence equal the status of token {string}", async function (this: BkpWorld, token: string) {
  const { claims } = await joinState(this);
  const status = boundKeypairStatus(await this.control.getToken(token));
  assert.ok(status.bound_bot_instance_id, `token "${token}" is bound to no bot instance`);
  assert.equal(claims.bot_instance_id, status.bound_bot_instance_id, 'bot_instance_id');
  assert.equal(claims.recovery_sequence, status.recovery_count, 'recovery_sequence');
});

// ---------------------------------------------------------------- audit

async function eventsSinceJoin(world: BkpWorld, type?: string): Promise<Json[]> {
  assert.ok(world.before, 'no state was recorded before the join');
  return auditEventsSinceLastJoin(world, type ? { event: type } : {});
}

const JOIN_EVENTS = ['bot.join', 'instance.join'];

async function assertFailedJoinEvent(world: BkpWorld, text?: string): Promise<void> {
  const events = (await eventsSinceJoin(world)).filter((e) => JOIN_EVENTS.includes(String(e.event)));
  assert.ok(
    events.some((e) => e.success === false && (text === undefined || String(e.error ?? '').includes(text))),
    `no failed bot.join or instance.join event${text ? ` mentioning "${text}"` : ''} since the join started; got ${JSON.stringify(events)}`,
  );
}

Then('the audit log records a failed join attempt', async function (this: BkpWorld) {
  await assertFailedJoinEvent(this);
});

Then('the audit log records a failed join attempt saying {string}', async function (this: BkpWorld, text: string) {
  await assertFailedJoinEvent(this, text);
});

Then('the audit log shows a failed {string} event saying {string}', async function (this: BkpWorld, type: string, text: string) {
  const events = await eventsSinceJoin(this, type);
  assert.ok(
    events.some((e) => e.success === false && String(e.error ?? '').includes(text)),
    `no failed ${type} event mentioning "${text}" since the join started; got ${JSON.stringify(events)}`,
  );
});

async function lastJoinEvent(world: BkpWorld, type: string, success: boolean): Promise<Json> {
  const events = (await eventsSinceJoin(world, type)).filter((e) => e.success === success);
  const last = events.at(-1);
  assert.ok(last, `no ${success ? 'successful' : 'failed'} ${type} event since the join started`);
  return last;
}

Then('that failed {string} event names join method {string} and bot {string}', async function (this: BkpWorld, type: string, method: string, bot: string) {
  const e = await lastJoinEvent(this, type, false);
  assert.equal(e.join_method, method, `join_method of ${JSON.stringify(e)}`);
  assert.equal(e.bot_name, bot, `bot_name of ${JSON.stringify(e)}`);
});

Then('that successful {string} event names join method {string} and bot {string}', async function (this: BkpWorld, type: string, method: string, bot: string) {
  const e = await lastJoinEvent(this, type, true);
  assert.equal(e.join_method, method, `join_method of ${JSON.stringify(e)}`);
  assert.equal(e.bot_name, bot, `bot_name of ${JSON.stringify(e)}`);
});

Then('the audit log has no failed {string} event since the join started', async function (this: BkpWorld, type: string) {
  const failed = (await eventsSinceJoin(this, type)).filter((e) => e.success === false);
  assert.deepEqual(failed, [], `a successful join should leave no failed ${type} event`);
});

Then('that successful {string} event carries the bound key, recovery count and recovery mode of token {string}', async function (this: BkpWorld, type: string, token: string) {
  const e = await lastJoinEvent(this, type, true);
  const stored = await this.control.getToken(token);
  const status = boundKeypairStatus(stored);
  const spec = (stored.spec as Json).bound_keypair as Json;
  assert.equal(e.public_key, status.bound_public_key, `public_key of ${JSON.stringify(e)}`);
  assert.equal(e.recovery_count, status.recovery_count, `recovery_count of ${JSON.stringify(e)}`);
  assert.equal(e.recovery_mode, (spec.recovery as Json | undefined)?.mode, `recovery_mode of ${JSON.stringify(e)}`);
});
