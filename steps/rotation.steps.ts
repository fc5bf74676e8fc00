// Keypair rotation (the ROT area): when spec.bound_keypair.rotate_after says
// so, a join asks the bot for a new public key, challenges it, and binds it
// in the join's one commit. These steps add what the shared join, state,
// result, clock and token-admin steps do not say: a token restored with a
// chosen rotation state, bots that fumble the rotation in every way a client
// can, a rotation requested while a join is in flight, keys the story names
// (K1, K2, …), what the rotation left in the token's status, and the
// rotation audit event.
//
// Every sentence names the rotation, the rotation request or response, the
// new key or a named key, or a restore from a backup, so that it cannot
// collide with other areas' steps.
import { Given, When, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { parseAuthorizedKey, publicKeysEqual } from '../reference/crypto/index.js';
import type { JoinRequest, JoinResponse } from '../reference/protocol/messages.js';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { suiteKeyAlgorithm } from './support/ceremony.js';
import type { KeyHolder } from './support/keys.js';
import { newKey } from './support/keys.js';
import { join, planFor } from './join.steps.js';
import type { JoinVerb } from './join.steps.js';
import { independentKeyId, parseChallengeDocument } from './support/challenge-answers.js';
import { auditEventsSinceLastJoin, boundKeypairStatus } from './support/server-state.js';
import { getPath, matchesExpectation, setPath, typedValue } from './support/values.js';
import type { InsteadOfNewKey } from './support/rotation-scene.js';
import { joinAnsweringRotationWith, namedKey, rotationScene } from './support/rotation-scene.js';

const ROTATION_EVENT = 'join_token.bound_keypair.rotation';

// ---------------------------------------------------------------- helpers

/** A table row's field: a full path (metadata., spec., status.) or one under spec.bound_keypair. */
function fieldPath(field: string): string {
  return /^(metadata|spec|status)\./.test(field) ? field : `spec.bound_keypair.${field}`;
}

function lastJoinStatusBefore(world: BkpWorld, token: string): Json {
  assert.ok(world.before, 'no state was recorded before the last join');
  const before = world.before.tokens.get(token);
  assert.ok(before, `token "${token}" did not exist before the last join`);
  return boundKeypairStatus(before);
}

/** The public keys the client sent in its rotation responses during the last join, as sent. */
function offeredTexts(world: BkpWorld): string[] {
  return world.outcome().wire
    .filter((w) => w.direction === 'client')
    .map((w) => (w.message as JoinRequest).solution?.bound_keypair_rotation_response?.public_key)
    .filter((k): k is Buffer => k !== undefined)
    .map((k) => Buffer.from(k).toString('utf8'));
}

function resultKeyText(world: BkpWorld): string {
  const result = world.outcome().result;
  assert.ok(result, 'the last join returned no result');
  return result.bound_keypair_result?.public_key?.toString('utf8') ?? '';
}

function sameKey(a: string, b: string): boolean {
  try {
    return publicKeysEqual(parseAuthorizedKey(a), parseAuthorizedKey(b));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- setting the scene

/*
 * A token written back from a backup, status included (create honours an
 * incoming status, as `tctl create` does): the only way to give a token an
 * exact rotate_after and last_rotated_at without a raw backend edit. Rows
 * set fields under spec.bound_keypair or a full path; a value of <unset>
 * leaves the field out of the backup altogether. The step checks that the
 * server stored what the backup held, or the scenario would test nothing.
 */
Given('the admin restores token {string} for bot {string} from a backup holding:', async function (this: BkpWorld, name: string, bot: string, table: DataTable) {
  const doc: Json = {
    kind: 'token',
    version: 'v2',
    metadata: { name },
    spec: { roles: ['Bot'], bot_name: bot, join_method: 'bound_keypair', bound_keypair: {} },
  };
  const written: [string, string][] = [];
  for (const [field, raw] of table.raw()) {
    if ((raw ?? '').trim() === '<unset>') continue;
    const value = await typedValue(this, raw ?? '');
    setPath(doc, fieldPath(field ?? ''), value);
    written.push([fieldPath(field ?? ''), String(value)]);
  }
  const stored = await this.control.createToken(doc);
  for (const [path, value] of written) {
    assert.ok(matchesExpectation(getPath(stored, path), value), `setting the scene: the restored token holds ${path} = ${JSON.stringify(getPath(stored, path))}, not ${value}`);
  }
  for (const field of ['rotate_after', 'status.bound_keypair.last_rotated_at']) {
    const path = fieldPath(field);
    if (!written.some(([p]) => p === path)) assert.ok(matchesExpectation(getPath(stored, path), '<unset>'), `setting the scene: the restored token has ${path} although the backup had none`);
  }
});

Given('the key {string} holds now is called {string}', function (this: BkpWorld, who: string, name: string) {
  const key = this.client(who).keys[0];
  assert.ok(key, `"${who}" holds no key`);
  rotationScene(this).named.set(name, key);
});

// ---------------------------------------------------------------- joins that rotate

/*
 * The bot answers the rotation request with a key it already used (its key
 * from before the last rotation, which it keeps in its key history as tbot
 * does) or with another bot's key.
 */
When(/^"([^"]+)" renews with token "([^"]+)", answering the rotation request with (?:its key from before the last rotation|the key of "([^"]+)")$/, async function (this: BkpWorld, who: string, token: string, other: string | null) {
  const client = this.client(who);
  assert.ok(client.identity, `"${who}" holds no certificate to renew with`);
  let key: KeyHolder | undefined;
  if (typeof other === 'string') key = this.client(other).keys[0];
  else key = client.keys[1];
  assert.ok(key, `setting the scene: "${who}" holds no ${typeof other === 'string' ? `key of "${other}"` : 'key from before its last rotation'} to answer with`);
  const offered = key;
  await join(this, who, { tokenName: token, identity: client.identity, onRotationRequest: () => offered });
});

/*
 * The admin's rotation request (`tctl bound-keypair request-rotation`)
 * arrives while the bot's renewal is in flight: the server has read the
 * token and sent its challenge; the bot answers only once the request has
 * been stored.
 */
When('{string} renews with token {string} while the admin requests a keypair rotation before the bot answers its challenge', async function (this: BkpWorld, who: string, token: string) {
  const identity = this.client(who).identity;
  assert.ok(identity, `"${who}" holds no certificate to renew with`);
  let requested = false;
  await join(this, who, {
    tokenName: token,
    identity,
    beforeAnswer: async (index) => {
      if (index !== 0 || requested) return;
      requested = true;
      this.tokensBeforeAdmin = await this.control.listTokens();
      const res = await this.control.raw('POST', `tokens/${encodeURIComponent(token)}/rotation-request`);
      this.lastAdmin = { status: res.status, body: res.body as Json };
    },
  });
  assert.ok(requested, 'the rotation request was never made: the server sent no challenge');
});

// ---------------------------------------------------------------- joins whose rotation fails

const ROTATION_FAILURES = [
  'gives up',
  'sends a challenge solution instead of its new key',
  'sends a second BoundKeypairInit instead of its new key',
  'offers an empty public key',
  'offers a public key that does not parse',
  'offers the key already bound',
  'offers the key already bound, with a comment added',
  'offers a new key but answers its challenge with the old key',
  "offers a new key but answers its challenge with a stranger's key",
] as const;
type RotationFailure = (typeof ROTATION_FAILURES)[number];

/*
 * A join in which the bot fumbles the rotation: the key-proof challenge is
 * answered honestly, then the bot mishandles the rotation request. With a
 * registration secret the first request is the registration, answered
 * honestly with a fresh key; the rotation is the second one, and "the key
 * already bound" / "the old key" is then the key just registered.
 */
When(new RegExp(`^"([^"]+)" (joins|renews|recovers) with token "([^"]+)"(?: using the registration secret "([^"]*)")? and, asked to rotate its key, (${ROTATION_FAILURES.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`), async function (this: BkpWorld, who: string, verb: string, token: string, matchedSecret: string | null, failure: RotationFailure) {
  // An optional group that did not match arrives as null.
  const secret = typeof matchedSecret === 'string' ? matchedSecret : undefined;
  const client = this.client(who);
  const plan = planFor(this, who, verb as JoinVerb, token, secret);

  if (failure.startsWith('sends a')) {
    assert.ok(secret === undefined && verb !== 'joins', 'this failure is played on renewals ("renews") and recoveries ("recovers")');
    const identity = verb === 'renews' ? client.identity : undefined;
    const instead: InsteadOfNewKey = failure.includes('challenge solution') ? 'a challenge solution' : 'a second BoundKeypairInit';
    await joinAnsweringRotationWith(this, who, { tokenName: token, identity, instead });
    return;
  }

  // The rotation request is the first one, or the second after a registration.
  const rotationIndex = secret !== undefined ? 1 : 0;
  let requests = 0;
  let registered: KeyHolder | undefined;
  const fresh = (suite: string | undefined) => newKey(suiteKeyAlgorithm(suite));
  const keyBoundNow = (): KeyHolder => {
    const key = registered ?? client.keys[0];
    assert.ok(key, `"${who}" holds no key`);
    return key;
  };
  let oldKey: KeyHolder | undefined;
  plan.onRotationRequest = (request) => {
    const index = requests++;
    if (index < rotationIndex) {
      registered = fresh(request.signature_algorithm_suite);
      return registered;
    }
    oldKey = keyBoundNow();
    switch (failure) {
      case 'gives up': return 'give-up';
      case 'offers an empty public key': return { ...fresh(request.signature_algorithm_suite), authorizedKey: '' };
      case 'offers a public key that does not parse': return { ...fresh(request.signature_algorithm_suite), authorizedKey: 'ssh-ed25519 AAAA!not-base64! robot@laptop' };
      case 'offers the key already bound': return oldKey;
      case 'offers the key already bound, with a comment added': return { ...oldKey, authorizedKey: `${oldKey.authorizedKey} ${who}@rotated-laptop` };
      default: return fresh(request.signature_algorithm_suite);
    }
  };
  if (failure.startsWith('offers a new key but answers')) {
    const stranger = newKey('ed25519');
    plan.respond = async (ctx) => {
      if (requests <= rotationIndex) {
        // Before the rotation request: the honest answer.
        if (!ctx.key) return 'give-up';
        return ctx.sign(ctx.document, { key: ctx.key });
      }
      const key = failure.endsWith("a stranger's key") ? stranger : oldKey;
      assert.ok(key, 'no old key to answer with');
      return ctx.sign(ctx.document, { key });
    };
  }
  await join(this, who, plan);
});

/*
 * The join fails, the server having refused it after at least one rotation
 * request (not the suite's client walking away), with an error containing
 * the texts ("…" and "…": all of them; "…" or "…": at least one). The gRPC
 * status is not pinned: Teleport wraps stream errors without choosing a
 * kind.
 */
Then(/^the keypair rotation fails with an error saying ("[^"]*"(?: (?:and|or) "[^"]*")*)$/, function (this: BkpWorld, list: string) {
  const o = this.outcome();
  const texts = [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
  const any = / or "/.test(list);
  assert.ok(!o.ok, 'expected the join to fail, but it succeeded');
  assert.equal(o.clientError, undefined, `the client stopped on its own (${o.clientError}); the server's refusal was not tested`);
  assert.equal(o.result, undefined, 'a refused join must not return a result');
  assert.notEqual(o.end.code, 0, `the stream ended without an error status: ${o.end.details}`);
  assert.ok(o.rotationRequests.length >= 1, 'the server refused the join before sending any rotation request');
  const found = texts.filter((t) => o.end.details.includes(t));
  if (any) assert.ok(found.length > 0, `the error "${o.end.details}" should contain one of ${JSON.stringify(texts)}`);
  else assert.deepEqual(found, texts, `the error "${o.end.details}" should contain every one of ${JSON.stringify(texts)}`);
  rotationScene(this).refusalTexts = found;
});

// ---------------------------------------------------------------- the exchange

Then('every rotation request of the join named the signature algorithm suite the ServerInit announced', function (this: BkpWorld) {
  const o = this.outcome();
  const announced = o.serverInit?.signature_algorithm_suite;
  assert.ok(announced, 'the ServerInit announced no signature algorithm suite');
  assert.equal(announced, this.suite, 'the ServerInit announced another suite than the cluster\'s');
  assert.ok(o.rotationRequests.length > 0, 'the server sent no rotation request');
  for (const [i, r] of o.rotationRequests.entries()) {
    assert.equal(r.signature_algorithm_suite, announced, `rotation request ${i + 1} named suite ${JSON.stringify(r.signature_algorithm_suite)}`);
  }
});

/*
 * Walks the stream: every rotation response must be followed by exactly one
 * challenge, whose public_key is the text the bot sent, byte for byte, and
 * whose document names that key by its key ID (recomputed by the suite).
 */
Then("every challenge that followed a rotation response named the offered key byte for byte, with that key's ID as sub", function (this: BkpWorld) {
  const wire = this.outcome().wire;
  let checked = 0;
  for (const [i, w] of wire.entries()) {
    const offered = w.direction === 'client' ? (w.message as JoinRequest).solution?.bound_keypair_rotation_response?.public_key : undefined;
    if (offered === undefined) continue;
    const next = wire[i + 1];
    assert.ok(next && next.direction === 'server', `the server sent nothing after rotation response ${checked + 1}`);
    const challenge = (next.message as JoinResponse).challenge?.bound_keypair_challenge;
    assert.ok(challenge, `after rotation response ${checked + 1} the server sent ${next.type}, not a challenge`);
    const named = challenge.public_key ?? Buffer.alloc(0);
    assert.ok(named.equals(Buffer.from(offered)), `the challenge named ${JSON.stringify(named.toString('utf8'))}, not the offered ${JSON.stringify(Buffer.from(offered).toString('utf8'))}`);
    const claims = parseChallengeDocument(challenge.challenge ?? '');
    assert.equal(claims.sub, independentKeyId(parseAuthorizedKey(Buffer.from(offered).toString('utf8'))), 'sub of the challenge for the offered key');
    checked++;
  }
  assert.ok(checked > 0, 'the bot sent no rotation response');
});

// ---------------------------------------------------------------- what the rotation left

/*
 * The key the token binds now, compared byte for byte with the key it
 * bound when the join started or with the text the bot sent in its last
 * rotation response, and the result's BoundKeypairResult.public_key the
 * same text.
 */
Then(/^the token "([^"]+)" is now bound to (the key it was bound to before the join|the key offered in the last rotation response), byte for byte, as the result says$/, async function (this: BkpWorld, token: string, which: string) {
  const expected = which.startsWith('the key it was bound')
    ? String(lastJoinStatusBefore(this, token).bound_public_key ?? '')
    : offeredTexts(this).at(-1);
  assert.ok(expected, which.startsWith('the key it was bound') ? `token "${token}" was bound to no key before the join` : 'the bot sent no rotation response');
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  assert.equal(bound, expected, `status.bound_keypair.bound_public_key of token "${token}"`);
  assert.equal(resultKeyText(this), expected, 'BoundKeypairResult.public_key');
});

/*
 * Every field of status.bound_keypair not listed reads as it did before the
 * join (listed fields may or may not have changed: on a frozen clock a new
 * timestamp can equal the old one).
 */
Then(/^apart from (.+), the join left the status of token "([^"]+)" as it was$/, async function (this: BkpWorld, list: string, token: string) {
  const allowed = new Set(list.split(/\s*,\s*|\s+and\s+/).filter(Boolean));
  const before = lastJoinStatusBefore(this, token);
  const after = boundKeypairStatus(await this.control.getToken(token));
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...fields].filter((f) => !allowed.has(f) && JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  assert.deepEqual(changed, [], `the join changed ${changed.map((f) => `${f} (${JSON.stringify(before[f])} → ${JSON.stringify(after[f])})`).join(', ')}`);
});

Then('the keypair rotation kept token {string} bound to the same bot instance', async function (this: BkpWorld, token: string) {
  const before = String(lastJoinStatusBefore(this, token).bound_bot_instance_id ?? '');
  assert.ok(before, `token "${token}" was bound to no bot instance before the join`);
  const after = String(boundKeypairStatus(await this.control.getToken(token)).bound_bot_instance_id ?? '');
  assert.equal(after, before, 'bound_bot_instance_id');
  assert.ok(this.before?.botInstances.has(after), `the bound bot instance ${after} did not exist before the join`);
});

/*
 * The story's names for keys: the bot's new key after a rotation that
 * replaced the key called "K1" — bound to the token and named in the result
 * by the text the bot sent — is from then on called "K2".
 */
Then('the keypair rotation replaced the key called {string} with a new key of {string}, now called {string}', async function (this: BkpWorld, oldName: string, who: string, newName: string) {
  const old = namedKey(this, oldName);
  const token = this.outcome().wire.map((w) => (w.message as JoinRequest).client_init?.token_name).find((t) => t !== undefined) ?? '';
  const before = String(lastJoinStatusBefore(this, token).bound_public_key ?? '');
  assert.ok(sameKey(before, old.authorizedKey), `before the join token "${token}" was bound to ${before}, not to the key called "${oldName}"`);
  const offered = offeredTexts(this).at(-1);
  assert.ok(offered, `"${who}" sent no rotation response`);
  const active = this.client(who).keys[0];
  assert.ok(active && active.authorizedKey === offered, `"${who}" does not hold the key it offered as its active key`);
  assert.ok(!sameKey(offered, old.authorizedKey), `the new key is the key called "${oldName}"`);
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  assert.equal(bound, offered, `token "${token}" is not bound to the key "${who}" offered`);
  assert.equal(resultKeyText(this), offered, 'BoundKeypairResult.public_key');
  rotationScene(this).named.set(newName, active);
});

Then('the token {string} is bound to the key called {string}', async function (this: BkpWorld, token: string, name: string) {
  const key = namedKey(this, name);
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  assert.equal(bound, key.authorizedKey, `token "${token}" should be bound to the key called "${name}"`);
});

// ---------------------------------------------------------------- the audit event

const PREVIOUS = ['the key bound before the join', 'the key registered earlier in the join', 'the pre-registered key'];
const NEW = ['the key bound now', 'the key offered in the last rotation response', 'no key'];

/*
 * Exactly one BoundKeypairRotation event since the join started, naming the
 * token, its bot and both keys. A failed one carries an error, which must
 * contain what the join was refused with (when the scenario said so with
 * "the keypair rotation fails with an error saying …").
 */
Then(new RegExp(`^the keypair rotation audit event of the join (succeeded|failed) for token "([^"]+)" of bot "([^"]+)", from (${PREVIOUS.join('|')}|the key called "[^"]+") to (${NEW.join('|')}|the key called "[^"]+")$`), async function (this: BkpWorld, how: string, token: string, bot: string, from: string, to: string) {
  const events = await auditEventsSinceLastJoin(this, { event: ROTATION_EVENT, token_name: token });
  assert.equal(events.length, 1, `expected exactly one ${ROTATION_EVENT} event for ${token} since the join started, got ${JSON.stringify(events)}`);
  const e = events[0] as Json;
  assert.equal(e.success, how === 'succeeded', `success of ${JSON.stringify(e)}`);
  assert.equal(e.token_name, token, 'token_name');
  assert.equal(e.bot_name, bot, 'bot_name');
  const expectKey = async (phrase: string): Promise<string> => {
    const called = /^the key called "([^"]+)"$/.exec(phrase);
    if (called) return namedKey(this, called[1] as string).authorizedKey;
    switch (phrase) {
      case 'the key bound before the join': return String(lastJoinStatusBefore(this, token).bound_public_key ?? '');
      case 'the key registered earlier in the join': return offeredTexts(this)[0] ?? '';
      case 'the pre-registered key': return String(getPath(await this.control.getToken(token), 'spec.bound_keypair.onboarding.initial_public_key') ?? '');
      case 'the key bound now': return String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
      case 'the key offered in the last rotation response': return offeredTexts(this).at(-1) ?? '';
      default: return '';
    }
  };
  const previous = await expectKey(from);
  assert.ok(previous, `setting the scene: ${from} is empty`);
  assert.equal(e.previous_public_key ?? '', previous, 'previous_public_key');
  const next = await expectKey(to);
  if (to !== 'no key') assert.ok(next, `setting the scene: ${to} is empty`);
  assert.equal(e.new_public_key ?? '', next, 'new_public_key');
  if (how === 'succeeded') {
    assert.ok(!e.error, `a successful rotation event carries an error: ${String(e.error)}`);
  } else {
    const error = String(e.error ?? '');
    assert.ok(error, 'the failed rotation event carries no error');
    const texts = rotationScene(this).refusalTexts;
    if (texts.length > 0) assert.ok(texts.some((t) => error.includes(t)), `the event's error "${error}" says none of ${JSON.stringify(texts)}`);
  }
});
