// Renewal (the REN area): a bot that still holds a certificate this cluster
// issued re-runs the ceremony to renew it. These steps add what the shared
// join/state/result steps do not say: copies of a bot's credentials in an
// adversary's hands, answers signed with the wrong key, raw edits of the
// stored status, the server's clock moved around the certificate's validity,
// a certificate forged with a CA of the adversary's own, and what a renewal
// must leave untouched.
//
// The sentences name renewal, the renewed certificate, copied credentials,
// the stored status or the certificate's validity, so that they cannot
// collide with other areas' steps.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { JoinRequest } from '../reference/protocol/messages.js';
import { join } from './join.steps.js';
import { newKey } from './support/keys.js';
import { formatRfc3339 } from './support/values.js';
import {
  assertOnlyNewLock, boundKeypairStatus, forgeCertificate, heldIdentity, identityOf, keptCopy, renewalState, resultCertificate, validity,
} from './support/renewal-credentials.js';

// ---------------------------------------------------------------- copies

/*
 * An adversary with a copy of (part of) what a bot keeps on disk: its bound
 * keypair (private key), its latest certificate and its latest join state.
 * The copy is a snapshot: what the original does afterwards is not copied.
 */
Given(/^"([^"]+)" has copied the (keypair and join state|certificate and join state|keypair, certificate and join state) of "([^"]+)"$/, function (this: BkpWorld, thief: string, what: string, victim: string) {
  const original = this.client(victim);
  const copyKeys = what.startsWith('keypair');
  const copyCertificate = what.includes('certificate');
  assert.ok(original.joinState, `"${victim}" holds no join state to copy`);
  if (copyKeys) assert.ok(original.keys.length > 0, `"${victim}" holds no keypair to copy`);
  if (copyCertificate) assert.ok(original.identity, `"${victim}" holds no certificate to copy`);
  this.clients.set(thief, {
    name: thief,
    // Without the keypair the thief has only a key of its own.
    keys: copyKeys ? [...original.keys] : [newKey('ed25519')],
    joinState: Buffer.from(original.joinState),
    ...(copyCertificate && original.identity ? { identity: { ...original.identity } } : {}),
  });
});

// ---------------------------------------------------------------- renewals

When('{string} renews with token {string}, answering the challenge with its own key', async function (this: BkpWorld, who: string, token: string) {
  const client = this.client(who);
  const own = client.keys[0];
  assert.ok(own, `"${who}" holds no key of its own`);
  const identity = heldIdentity(this, who);
  await join(this, who, { tokenName: token, identity, respond: (ctx) => ctx.sign(ctx.document, { key: own }) });
});

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

// ---------------------------------------------------------------- the clock

Given("the server's clock has moved past the end of {string}'s certificate", async function (this: BkpWorld, who: string) {
  const { notAfter } = validity(heldIdentity(this, who));
  const now = (await this.serverNow()).getTime();
  assert.ok(notAfter + 1000 > now, 'the certificate had already expired on the server clock');
  await this.control.advanceClock(notAfter + 1000 - now);
  assert.ok((await this.serverNow()).getTime() > notAfter, 'the server clock did not move past the certificate\'s end');
});

Given("the server's clock has been set back to before the start of {string}'s certificate", async function (this: BkpWorld, who: string) {
  const { notBefore } = validity(heldIdentity(this, who));
  await this.control.setClock(formatRfc3339(new Date(notBefore - 1000)));
  assert.ok((await this.serverNow()).getTime() < notBefore, 'the server clock was not set back before the certificate\'s start');
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
  const claims = (jws: Buffer): Json => {
    const payload = jws.toString('utf8').split('.')[1];
    assert.ok(payload, 'a join state is not a compact JWS');
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
  };
  const before = claims(Buffer.from(presented));
  const after = claims(Buffer.from(returned));
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

Then('apart from one new lock on token {string} saying {string}, the renewal changed nothing on the server', async function (this: BkpWorld, token: string, text: string) {
  await assertOnlyNewLock(this, token, (message) => assert.ok(message.includes(text), `the lock's message "${message}" should contain "${text}"`));
});
