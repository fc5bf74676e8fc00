// Signature algorithm suites (the SUI area): the cluster's suite as a setting
// (in Teleport the cluster auth preference, `tctl edit cap`; here PATCH
// settings, control API feature suite-setting), what the join protocol
// announces under it, the type of bound_keypair CA key a CA rotation creates
// under it, and which bound keys the server accepts whatever the suite.
//
// Every sentence here names a "signature algorithm suite", a CA key "the
// rotation added" with its JWS alg, or a key "offered" in a rotation or
// registration of a given type, so it cannot collide with other areas'
// steps. Joining, CA rotation and copies of a join state are the shared
// sentences of join.steps.ts and join-state.steps.ts.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { parseAuthorizedKey, publicKeysEqual } from '../reference/crypto/index.js';
import type { JoinRequest } from '../reference/protocol/messages.js';
import type { BkpWorld } from './support/world.js';
import { join } from './join.steps.js';
import { keyTypeFromWords, newKey } from './support/keys.js';
import type { KeyHolder } from './support/keys.js';
import { scene } from './support/join-state-scene.js';
import { boundKeypairStatus } from './support/server-state.js';
import { suitesScene } from './support/suites-scene.js';

// ---------------------------------------------------------------- helpers

type Jwk = Record<string, unknown>;

/** The public key a JWK of the cluster's list describes. */
function jwkPublicKey(jwk: Jwk): KeyObject {
  const { kty, crv, x, y } = jwk as Record<string, string | undefined>;
  return createPublicKey({ key: { kty, crv, x, ...(y ? { y } : {}) } as never, format: 'jwk' });
}

/** What Node calls the key type, in the feature's words. */
function keyTypeWords(key: KeyObject): string {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec') return `ECDSA ${key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'P-256' : String(key.asymmetricKeyDetails?.namedCurve)}`;
  if (key.asymmetricKeyType === 'rsa') return 'RSA';
  return String(key.asymmetricKeyType);
}

function returnedJoinState(world: BkpWorld): string {
  const state = world.outcome().result?.bound_keypair_result?.join_state;
  assert.ok(state && state.length > 0, 'the last join returned no join state');
  return state.toString('utf8');
}

/** Verifies a join state with the listed JWK of its kid, accepting only `alg`. */
async function assertSignedBy(state: string, jwk: Jwk, alg: string, what: string): Promise<void> {
  try {
    await compactVerify(state, jwkPublicKey(jwk), { algorithms: [alg] });
  } catch (err) {
    assert.fail(`${what} does not verify as an ${alg} signature by CA key ${String(jwk.kid)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function listedCaKeys(world: BkpWorld): Promise<Jwk[]> {
  const keys = (await world.control.cluster()).bound_keypair_ca_keys as Jwk[];
  world.boundKeypairKeys = keys;
  return keys;
}

/** The one key the last CA rotation of this scenario added, as GET cluster lists it now. */
async function keyTheRotationAdded(world: BkpWorld): Promise<Jwk> {
  const before = scene(world).kidsBeforeRotation;
  assert.ok(before, 'the bound_keypair CA was not rotated in this scenario');
  const added = (await listedCaKeys(world)).filter((k) => !before.has(String(k.kid)));
  assert.equal(added.length, 1, `GET cluster should list exactly one bound_keypair CA key that the rotation added, it lists ${JSON.stringify(added)}`);
  return added[0] as Jwk;
}

async function suitesTheTargetRuns(world: BkpWorld): Promise<{ suites: string[]; canChange: boolean }> {
  const caps = await world.control.capabilities();
  const features = (caps.features as string[] | undefined) ?? [];
  return { suites: (caps.signature_algorithm_suites as string[] | undefined) ?? [], canChange: features.includes('suite-setting') };
}

/** PATCH settings, then every view of the cluster must report the new suite. */
async function switchSuite(world: BkpWorld, suite: string): Promise<void> {
  const settings = await world.control.updateSettings({ signature_algorithm_suite: suite });
  assert.equal(settings.signature_algorithm_suite, suite, 'the PATCH settings response');
  assert.equal((await world.control.settings()).signature_algorithm_suite, suite, 'GET settings');
  assert.equal((await world.control.cluster()).signature_algorithm_suite, suite, 'GET cluster');
  assert.equal((await world.control.capabilities()).signature_algorithm_suite, suite, 'GET capabilities');
  world.suite = suite;
}

// ---------------------------------------------------------------- the setting

/*
 * The suite a scenario runs under. A target already running it needs
 * nothing more; otherwise the suite is switched through PATCH settings
 * (feature suite-setting). A target that can neither run the suite nor
 * switch to it makes the scenario not applicable.
 */
Given('the cluster runs with signature algorithm suite {string}', async function (this: BkpWorld, suite: string) {
  if (this.suite === suite) return undefined;
  const { suites, canChange } = await suitesTheTargetRuns(this);
  if (!canChange || !suites.includes(suite)) {
    this.attach(`Not applicable: the target runs ${this.suite} and ${canChange ? `does not list ${suite} among its suites` : 'cannot change its suite (feature suite-setting)'}`, 'text/plain');
    return 'skipped';
  }
  await switchSuite(this, suite);
  return undefined;
});

/* A change at run time, with no restart: scenarios using it carry @needs-suite-setting. */
When("the admin switches the cluster's signature algorithm suite to {string}", async function (this: BkpWorld, suite: string) {
  const { suites } = await suitesTheTargetRuns(this);
  if (!suites.includes(suite)) {
    this.attach(`Not applicable: the target does not list ${suite} among its suites (${suites.join(', ')})`, 'text/plain');
    return 'skipped';
  }
  await switchSuite(this, suite);
  return undefined;
});

// ---------------------------------------------------------------- what a join announces

Then('the join announced signature algorithm suite {string} in its ServerInit and in each of its {int} rotation request(s)', function (this: BkpWorld, suite: string, rotations: number) {
  const o = this.outcome();
  assert.ok(o.serverInit, 'no ServerInit was received');
  assert.equal(o.serverInit.signature_algorithm_suite, suite, 'ServerInit.signature_algorithm_suite');
  assert.equal(o.rotationRequests.length, rotations, 'rotation requests in the join');
  o.rotationRequests.forEach((r, i) => assert.equal(r.signature_algorithm_suite, suite, `signature_algorithm_suite of rotation request ${i + 1}`));
});

// ---------------------------------------------------------------- the bound_keypair CA's keys

Then('the cluster lists the bound_keypair CA key the rotation added as kty {string}, crv {string}, alg {string}', async function (this: BkpWorld, kty: string, crv: string, alg: string) {
  const jwk = await keyTheRotationAdded(this);
  assert.equal(jwk.kty, kty, `kty of ${JSON.stringify(jwk)}`);
  assert.equal(jwk.crv, crv, `crv of ${JSON.stringify(jwk)}`);
  assert.equal(jwk.alg, alg, `alg of ${JSON.stringify(jwk)}`);
  // The JWK must also describe a usable public key of that very type.
  const key = jwkPublicKey(jwk);
  assert.equal(keyTypeWords(key), crv === 'Ed25519' ? 'Ed25519' : `ECDSA ${crv}`, 'the key the JWK describes');
});

Then('the returned join state is an {string} signature by the bound_keypair CA key the rotation added', async function (this: BkpWorld, alg: string) {
  const state = returnedJoinState(this);
  const jwk = await keyTheRotationAdded(this);
  const header = decodeProtectedHeader(state);
  assert.equal(header.alg, alg, 'alg in the join state header');
  assert.equal(header.kid, jwk.kid, 'kid in the join state header: the join state is not signed by the key the rotation added');
  await assertSignedBy(state, jwk, alg, 'the returned join state');
});

Given('the join state {string} holds is an {string} signature by a bound_keypair CA key from before the last rotation', async function (this: BkpWorld, who: string, alg: string) {
  const before = scene(this).kidsBeforeRotation;
  assert.ok(before, 'the bound_keypair CA was not rotated in this scenario');
  const state = this.client(who).joinState?.toString('utf8');
  assert.ok(state, `setting the scene: "${who}" holds no join state`);
  const { alg: headerAlg, kid } = decodeProtectedHeader(state);
  assert.equal(headerAlg, alg, `setting the scene: the join state "${who}" holds is signed with ${String(headerAlg)}`);
  assert.ok(before.has(String(kid)), `setting the scene: the join state "${who}" holds is signed by ${String(kid)}, not by a key from before the last rotation`);
  const jwk = (await listedCaKeys(this)).find((k) => k.kid === kid);
  assert.ok(jwk, `the cluster no longer lists the CA key ${String(kid)} that signed the join state "${who}" holds`);
  await assertSignedBy(state, jwk, alg, `the join state "${who}" holds`);
});

/*
 * What the cluster signs join states with now: the key that signed the
 * join state the bot was just given (the active key), and the whole list
 * of trusted keys.
 */
Given("the admin notes the bound_keypair CA keys and the key that signed {string}'s join state", async function (this: BkpWorld, who: string) {
  const state = this.client(who).joinState?.toString('utf8');
  assert.ok(state, `setting the scene: "${who}" holds no join state`);
  const { kid, alg } = decodeProtectedHeader(state);
  assert.ok(kid && alg, 'the join state header names no kid or alg');
  suitesScene(this).noted = { kid: String(kid), alg: String(alg), keys: await listedCaKeys(this) };
});

Then('the returned join state is signed by the noted bound_keypair CA key, with the same kid and alg', async function (this: BkpWorld) {
  const noted = suitesScene(this).noted;
  assert.ok(noted, 'no bound_keypair CA key was noted in this scenario');
  const state = returnedJoinState(this);
  const { kid, alg } = decodeProtectedHeader(state);
  assert.equal(kid, noted.kid, 'kid: the join state is signed by another key than before the suite change');
  assert.equal(alg, noted.alg, 'alg: the join state is signed with another algorithm than before the suite change');
  const jwk = noted.keys.find((k) => k.kid === kid);
  assert.ok(jwk, `the noted key list has no key ${noted.kid}`);
  await assertSignedBy(state, jwk, noted.alg, 'the returned join state');
});

Then('the cluster lists exactly the noted bound_keypair CA keys', async function (this: BkpWorld) {
  const noted = suitesScene(this).noted;
  assert.ok(noted, 'no bound_keypair CA key was noted in this scenario');
  const byKid = (keys: Jwk[]) => [...keys].sort((a, b) => String(a.kid).localeCompare(String(b.kid)));
  assert.deepEqual(byKid(await listedCaKeys(this)), byKid(noted.keys), 'the bound_keypair CA keys changed although the CA was not rotated');
});

// ---------------------------------------------------------------- bound keys of any type

/** The key a client offers when the server asks for a new one, remembered for the checks below. */
function offering(world: BkpWorld, who: string, keytype: string): () => KeyHolder {
  return () => {
    const key = newKey(keyTypeFromWords(keytype));
    suitesScene(world).offered.set(who, key);
    return key;
  };
}

When("{string} joins with token {string} using the token's registration secret, offering a new {keytype} key", async function (this: BkpWorld, who: string, token: string, keytype: string) {
  const secret = String(boundKeypairStatus(await this.control.getToken(token)).registration_secret ?? '');
  assert.ok(secret, `token "${token}" has no registration secret in its status`);
  suitesScene(this).offered.delete(who);
  await join(this, who, { tokenName: token, secret, onRotationRequest: offering(this, who, keytype) });
});

When('{string} renews with token {string}, answering the rotation request with a new {keytype} key', async function (this: BkpWorld, who: string, token: string, keytype: string) {
  const identity = this.client(who).identity;
  assert.ok(identity, `${who} holds no certificate to renew with`);
  suitesScene(this).offered.delete(who);
  await join(this, who, { tokenName: token, identity, onRotationRequest: offering(this, who, keytype) });
});

/*
 * The token now binds the key the client offered — compared as keys, and
 * of the type offered — and the result named it too.
 */
Then('the token {string} is bound to the {keytype} key {string} offered', async function (this: BkpWorld, token: string, keytype: string, who: string) {
  const offered = suitesScene(this).offered.get(who);
  assert.ok(offered, `the server never asked "${who}" for a new key in its last join`);
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  assert.ok(bound, `token "${token}" has no bound key`);
  const parsed = parseAuthorizedKey(bound);
  assert.ok(publicKeysEqual(parsed, offered.publicKey), `token "${token}" is bound to ${bound}, not to the key "${who}" offered (${offered.authorizedKey})`);
  assert.equal(keyTypeWords(parsed), keytype, 'type of the bound key');
  const named = this.outcome().result?.bound_keypair_result?.public_key?.toString('utf8') ?? '';
  assert.equal(named, bound, 'BoundKeypairResult.public_key');
});

Then('the token {string} is bound to {string}\'s {keytype} key', async function (this: BkpWorld, token: string, who: string, keytype: string) {
  const key = this.client(who).keys[0];
  assert.ok(key, `"${who}" holds no key`);
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  assert.ok(bound, `token "${token}" has no bound key`);
  const parsed = parseAuthorizedKey(bound);
  assert.ok(publicKeysEqual(parsed, key.publicKey), `token "${token}" is bound to ${bound}, not to ${who}'s key`);
  assert.equal(keyTypeWords(parsed), keytype, 'type of the bound key');
});

// ---------------------------------------------------------------- operator workflows (features/workflows)

/* What the bot sent as previous_join_state in its last join, read from the wire record. */
Then('{string} sent its kept join state {string} in that join', function (this: BkpWorld, who: string, name: string) {
  assert.equal(this.lastClient, who, `the last join was made by "${this.lastClient}", not "${who}"`);
  const kept = scene(this).copies.get(name);
  assert.ok(kept, `no copy of a join state was kept as "${name}"`);
  const init = this.outcome().wire.find((w) => w.direction === 'client' && w.type === '*messages.BoundKeypairInit');
  assert.ok(init, 'the client sent no BoundKeypairInit');
  const sent = (init.message as JoinRequest).bound_keypair_init?.previous_join_state;
  assert.ok(sent && sent.length > 0, `"${who}" sent no join state`);
  assert.ok(Buffer.from(sent).equals(kept), `"${who}" sent another join state than the one kept as "${name}"`);
});
