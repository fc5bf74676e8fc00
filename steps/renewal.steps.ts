// Renewal (the REN area): a bot that still holds a certificate this cluster
// issued re-runs the ceremony to renew it. These steps add what the shared
// join/state/result/clock steps do not say: raw edits of the stored status,
// a certificate forged with a CA of the adversary's own, and what a renewal
// must leave untouched.
//
// The sentences name renewal, the renewed certificate, forgery or the
// stored status, so that they cannot collide with other areas' steps.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { JoinRequest } from '../reference/protocol/messages.js';
import { boundKeypairStatus } from './support/server-state.js';
import { joinStateClaims } from './support/join-state-scene.js';
import { forgeCertificate, heldIdentity, identityOf, keptCopy, renewalState, resultCertificate } from './support/renewal-credentials.js';

// ---------------------------------------------------------------- the stored status

/*
 * A raw edit of the token's stored status (control API feature
 * raw-status-write): no admin command produces these states; Teleport's own
 * tests reach them with an internal upsert. The status as it was is kept so
 * that a scenario can put it back.
 */
async function editStoredStatus(world: BkpWorld, token: string, field: string, value: string | undefined): Promise<void> {
  const stored = await world.control.getToken(token);
  const status = structuredClone(boundKeypairStatus(stored));
  const state = renewalState(world);
  if (!state.statusBeforeEdit.has(token)) state.statusBeforeEdit.set(token, structuredClone(boundKeypairStatus(stored)));
  if (value === undefined) delete status[field];
  else status[field] = value;
  await world.control.writeTokenStatus(token, { bound_keypair: status });
  const after = boundKeypairStatus(await world.control.getToken(token));
  assert.equal(after[field] ?? '', value ?? '', `the raw status write did not set ${field}`);
}

Given('the stored status of token {string} is overwritten so that {word} reads {string}', async function (this: BkpWorld, token: string, field: string, value: string) {
  await editStoredStatus(this, token, field, value);
});

Given('the stored status of token {string} is overwritten so that {word} is empty', async function (this: BkpWorld, token: string, field: string) {
  await editStoredStatus(this, token, field, undefined);
});

When('the stored status of token {string} is put back as it was', async function (this: BkpWorld, token: string) {
  const original = renewalState(this).statusBeforeEdit.get(token);
  assert.ok(original, `the stored status of token "${token}" was not overwritten in this scenario`);
  await this.control.writeTokenStatus(token, { bound_keypair: original });
  renewalState(this).statusBeforeEdit.delete(token);
});

// ---------------------------------------------------------------- forgery

Given(/^"([^"]+)" has forged a (currently valid|long expired) certificate for the bot instance of "([^"]+)" with a certificate authority of its own$/, async function (this: BkpWorld, forger: string, when: string, victim: string) {
  const model = heldIdentity(this, victim);
  const now = (await this.serverNow()).getTime();
  const hour = 3_600_000;
  const lifetime = when === 'currently valid'
    ? { notBefore: new Date(now - 60_000), notAfter: new Date(now + hour) }
    : { notBefore: new Date(now - 3 * hour), notAfter: new Date(now - 2 * hour) };
  const forged = await forgeCertificate(this, model, lifetime);
  const client = this.clients.get(forger);
  if (client) client.identity = forged;
  else this.clients.set(forger, { name: forger, keys: [...this.client(victim).keys], identity: forged });
  // The forgery copies every identity field: only the signature differs.
  const a = identityOf(model.certDer);
  const b = identityOf(forged.certDer);
  assert.deepEqual([b.botName, b.botInstanceId, b.generation, b.joinToken, b.clusterName], [a.botName, a.botInstanceId, a.generation, a.joinToken, a.clusterName]);
});

// ---------------------------------------------------------------- what a renewal left

Then('the renewal left token {string} exactly as it was, revision included', async function (this: BkpWorld, token: string) {
  const before = this.before?.tokens.get(token);
  assert.ok(before, `token "${token}" did not exist before the last join`);
  const after = await this.control.getToken(token);
  assert.equal((after.metadata as Json).revision, (before.metadata as Json).revision, 'metadata.revision: the renewal wrote the token');
  assert.deepEqual(after, before, 'the renewal changed the token');
});

Then("the renewal's join state names the same bot instance and recovery sequence as the join state {string} presented", function (this: BkpWorld, who: string) {
  const sent = this.outcome().wire.find((w) => w.direction === 'client' && w.type === '*messages.BoundKeypairInit');
  const presented = (sent?.message as JoinRequest | undefined)?.bound_keypair_init?.previous_join_state;
  assert.ok(presented && presented.length > 0, `"${who}" presented no join state`);
  const returned = this.outcome().result?.bound_keypair_result?.join_state;
  assert.ok(returned && returned.length > 0, 'the renewal returned no join state');
  const before = joinStateClaims(Buffer.from(presented));
  const after = joinStateClaims(Buffer.from(returned));
  assert.ok(before.bot_instance_id, 'the presented join state names no bot instance');
  assert.equal(after.bot_instance_id, before.bot_instance_id, 'bot_instance_id');
  assert.equal(after.recovery_sequence, before.recovery_sequence, 'recovery_sequence');
  // On a clock that has not moved since the previous join the new document
  // may well be byte for byte the old one (same claims, same iat).
});

Then("the renewed certificate is new and names the bot instance of {string}'s kept generation-{int} certificate, at generation {int}", function (this: BkpWorld, who: string, keptGeneration: number, generation: number) {
  const kept = keptCopy(this, who, keptGeneration);
  const der = resultCertificate(this);
  assert.ok(!der.equals(kept.certDer), 'the renewal returned the certificate that was presented');
  const renewed = identityOf(der);
  const presented = identityOf(kept.certDer);
  assert.notEqual(renewed.serialNumber, presented.serialNumber, 'serial number');
  assert.equal(renewed.botInstanceId, presented.botInstanceId, 'bot instance in the renewed certificate');
  assert.equal(renewed.generation, generation, 'generation in the renewed certificate');
});
