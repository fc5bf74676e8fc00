// What a successful join returned to the bot, checked independently of the
// server: the certificate chains to the cluster's user CA and carries the
// bot's identity; the join state is a JWT signed by the cluster's
// bound_keypair CA with the claims the specification lists.
import { Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { parseIdentityCertificate } from '../reference/crypto/index.js';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { findKey } from './support/keys.js';
import { getPath, matchesExpectation, resolvePlaceholders } from './support/values.js';
import { boundKeypairStatus } from './support/server-state.js';

function result(world: BkpWorld) {
  const r = world.outcome().result;
  assert.ok(r, 'the last join returned no result');
  return r;
}

Then('{string} received a certificate for bot {string} issued by the cluster', async function (this: BkpWorld, _who: string, bot: string) {
  const der = result(this).certificates?.tls_cert;
  assert.ok(der && der.length > 0, 'no TLS certificate in the result');
  const cert = new X509Certificate(der);
  const issuers = this.userCaPems.map((p) => new X509Certificate(p));
  assert.ok(issuers.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey)), 'the certificate is not signed by the cluster\'s user CA');
  assert.ok(cert.subject.includes(`CN=bot-${bot}`), `subject ${cert.subject} should name bot-${bot}`);
  const identity = parseIdentityCertificate(der);
  assert.equal(identity.botName, bot, 'bot name in the certificate');
  assert.ok(identity.botInstanceId, 'the certificate names no bot instance');
});

Then('the certificate names the bot instance bound to token {string} at generation {int}', async function (this: BkpWorld, token: string, generation: number) {
  const der = result(this).certificates?.tls_cert as Buffer;
  const identity = parseIdentityCertificate(der);
  const status = boundKeypairStatus(await this.control.getToken(token));
  assert.equal(identity.botInstanceId, status.bound_bot_instance_id, 'bot instance in the certificate');
  assert.equal(identity.generation, generation, 'generation in the certificate');
  assert.equal(identity.joinToken, token, 'join token in the certificate');
});

Then('the result names the public key of {string} as the bound key', function (this: BkpWorld, who: string) {
  const text = result(this).bound_keypair_result?.public_key?.toString('utf8') ?? '';
  const key = this.client(who).keys[0];
  assert.ok(key && findKey([key], text), `the result names ${text}, not ${who}'s key`);
});

Then('the returned join state is signed by the cluster\'s bound_keypair CA with claims:', async function (this: BkpWorld, table: DataTable) {
  const jws = result(this).bound_keypair_result?.join_state?.toString('utf8') ?? '';
  assert.ok(jws, 'no join state in the result');
  const header = decodeProtectedHeader(jws);
  assert.ok(header.kid, 'the join state header has no kid');
  assert.equal(header.typ, 'JWT');
  const keys = createLocalJWKSet({ keys: this.boundKeypairKeys } as unknown as JSONWebKeySet);
  const { payload } = await compactVerify(jws, keys, { algorithms: ['ES256', 'EdDSA'] });
  const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as Json;
  assert.equal(claims.exp, undefined, 'a join state never expires: it must carry no exp claim');
  for (const [claim, expected] of table.raw()) {
    const want = await resolveClaimExpectation(this, expected ?? '');
    const actual = getPath(claims, claim ?? '');
    assert.ok(matchesExpectation(actual, want), `claim ${claim}: expected ${want}, got ${JSON.stringify(actual)}`);
  }
});

/** Adds `<cluster name>` to the usual placeholders. */
async function resolveClaimExpectation(world: BkpWorld, text: string): Promise<string> {
  if (text === '<cluster name>') return world.clusterName;
  return resolvePlaceholders(world, text);
}
