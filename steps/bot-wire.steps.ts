// What the bot under test sent and received, read from the server's
// transcripts (docs/control-api.md, GET transcripts), never from the bot's
// own account. "The last join through token t" is the newest stream whose
// ClientInit named t; "the bot's last run" is every stream since the bot's
// latest join sentence began.
import { Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { publicKeysEqual, parseAuthorizedKey } from '../reference/crypto/index.js';
import {
  BOUND_KEYPAIR_INIT, CHALLENGE, CHALLENGE_SOLUTION, CLIENT_INIT, ROTATION_REQUEST, ROTATION_RESPONSE,
  boundKeypairInit, challengedKeys, countOf, joinsSinceLastRun, joinsThrough, lastJoinThrough, lastJoinsThrough, messagesOf, onlyClientMessage, resultOf, sequence, solutionHeaders,
} from './support/transcripts.js';
import { boundKeypairStatus } from './support/server-state.js';
import { keyTypeWords } from './support/bot-scene.js';

Then(/^the last join through token "([^"]+)" sent (the|no) registration secret$/, async function (this: BkpWorld, token: string, which: string) {
  const t = await lastJoinThrough(this, token);
  const init = boundKeypairInit(t);
  assert.equal(init.secretPresent, which === 'the', `join stream ${t.id} ${init.secretPresent ? 'carried' : 'did not carry'} a registration secret in BoundKeypairInit`);
});

Then('the last join through token {string} sent no previous join state', async function (this: BkpWorld, token: string) {
  const t = await lastJoinThrough(this, token);
  const init = boundKeypairInit(t);
  assert.ok(!init.previousJoinStatePresent, `join stream ${t.id} sent a previous join state (sha256 ${init.previousJoinStateSha256 ?? '?'})`);
});

/*
 * BKP-CLI-002: the document an earlier join returned, byte for byte
 * (compared by SHA-256; the transcript never keeps the bytes): the join
 * just before, or the last one before that returned a join state (when
 * refused joins came between).
 */
Then(/^the last join through token "([^"]+)" sent, byte for byte, the join state (the join before it|the last successful join before it) returned$/, async function (this: BkpWorld, token: string, which: string) {
  const all = await lastJoinsThrough(this, token, 2);
  const last = all.at(-1);
  assert.ok(last);
  const earlier = (await joinsThrough(this, token)).filter((t) => t.id < last.id);
  const previous = which === 'the join before it' ? earlier.at(-1) : earlier.filter((t) => resultOf(t)?.joinStateSha256).at(-1);
  assert.ok(previous, `no earlier join through token "${token}" ${which === 'the join before it' ? '' : 'returned a join state'}`);
  const returned = resultOf(previous)?.joinStateSha256;
  assert.ok(returned, `the join before (stream ${previous.id}) returned no join state: ${sequence(previous)}`);
  const sent = boundKeypairInit(last).previousJoinStateSha256;
  assert.equal(sent, returned, `stream ${last.id} sent a previous join state with sha256 ${sent ?? '(none)'}, stream ${previous.id} returned one with sha256 ${returned}`);
});

Then(/^the last join through token "([^"]+)" had (\d+) challenges? and (\d+) rotation requests?$/, async function (this: BkpWorld, token: string, challenges: string, rotations: string) {
  const t = await lastJoinThrough(this, token);
  assert.equal(countOf(t, 'server', CHALLENGE), Number(challenges), `challenges in stream ${t.id}: ${sequence(t)}`);
  assert.equal(countOf(t, 'server', ROTATION_REQUEST), Number(rotations), `rotation requests in stream ${t.id}: ${sequence(t)}`);
});

/* Whether the bot presented a certificate in the TLS handshake: a renewal (C-LC-1) or not (C-LC-2). */
Then(/^the last join through token "([^"]+)" was (authenticated|not authenticated)$/, async function (this: BkpWorld, token: string, how: string) {
  const t = await lastJoinThrough(this, token);
  assert.equal(t.authenticated, how === 'authenticated', `join stream ${t.id} was ${t.authenticated ? `authenticated (${t.client_certificate?.subject ?? ''})` : 'not authenticated'}`);
});

Then(/^the last join through token "([^"]+)" (succeeded|failed)$/, async function (this: BkpWorld, token: string, how: string) {
  const t = await lastJoinThrough(this, token);
  assert.equal(t.end?.code === 'OK', how === 'succeeded', `join stream ${t.id}: ${sequence(t)}`);
});

/*
 * BKP-CLI-007/008: the whole stream, both directions, by short type names
 * ("ClientInit, ServerInit, BoundKeypairInit, BoundKeypairChallenge, …").
 */
Then('the messages of the last join through token {string} were: {}', async function (this: BkpWorld, token: string, list: string) {
  const t = await lastJoinThrough(this, token);
  const actual = t.messages.map((m) => m.type.replace('*messages.', ''));
  assert.deepEqual(actual, list.split(',').map((s) => s.trim()), `join stream ${t.id}: ${sequence(t)}`);
});

/* BKP-CLI-003: ClientInit names the token, role Bot, and join method bound_keypair or none. */
Then('the last join through token {string} asked for system role {string} with join method "bound_keypair" or none', async function (this: BkpWorld, token: string, role: string) {
  const t = await lastJoinThrough(this, token);
  const init = onlyClientMessage(t, CLIENT_INIT);
  assert.equal(init.token_name, token);
  assert.equal(init.system_role, role, `ClientInit of stream ${t.id}: ${JSON.stringify(init)}`);
  assert.ok(init.join_method === undefined || init.join_method === '' || init.join_method === 'bound_keypair', `ClientInit asked for join method ${String(init.join_method)}`);
  onlyClientMessage(t, BOUND_KEYPAIR_INIT);
});

/* BKP-CLI-013/014: the protected header of every solution, exactly (the transcript keeps it, never the signature). */
Then('every challenge solution in the last join through token {string} has exactly the protected header {}', async function (this: BkpWorld, token: string, header: string) {
  const t = await lastJoinThrough(this, token);
  const expected = JSON.parse(header) as Json;
  const headers = solutionHeaders(t);
  assert.ok(headers.length > 0, `join stream ${t.id} carried no challenge solution: ${sequence(t)}`);
  headers.forEach((h, i) => assert.deepEqual(h, expected, `solution ${i + 1} of stream ${t.id} has the protected header ${JSON.stringify(h)}`));
});

/* BKP-CLI-012: the i-th solution's payload is the i-th challenge, byte for byte (compared by SHA-256). */
Then('every challenge solution in the last join through token {string} signed its challenge byte for byte', async function (this: BkpWorld, token: string) {
  const t = await lastJoinThrough(this, token);
  const challenges = messagesOf(t, 'server', CHALLENGE).map((m) => m.fields.challenge_sha256);
  const payloads = messagesOf(t, 'client', CHALLENGE_SOLUTION).map((m) => m.fields.payload_sha256);
  assert.ok(challenges.length > 0, `no challenge in stream ${t.id}: ${sequence(t)}`);
  assert.equal(payloads.length, challenges.length, `stream ${t.id}: ${sequence(t)}`);
  payloads.forEach((p, i) => assert.equal(p, challenges[i], `solution ${i + 1} of stream ${t.id} signed other bytes than challenge ${i + 1}`));
});

/* BKP-CLI-005: the subject key type by suite (RSA under legacy, ECDSA P-256 otherwise), TLS and SSH alike. */
Then('the last join through token {string} asked for certificates for a(n) {keytype} subject key', async function (this: BkpWorld, token: string, keytype: string) {
  const init = boundKeypairInit(await lastJoinThrough(this, token));
  assert.ok(init.subjectSshKey, 'BoundKeypairInit carried no SSH subject key');
  assert.equal(keyTypeWords(init.subjectSshKey), keytype, `SSH subject key ${init.subjectSshKey}`);
  const tlsAlgorithm = { 'RSA': 'rsa', 'ECDSA P-256': 'ec', 'Ed25519': 'ed25519' }[keytype];
  assert.equal(init.subjectTlsKey?.algorithm, tlsAlgorithm, `TLS subject key ${JSON.stringify(init.subjectTlsKey)}`);
});

/* BKP-CLI-006: expiry = the bot's now (its clock file: the server's clock) + {certificate_ttl}, to the second. */
Then('the last join through token {string} asked for certificates expiring one certificate TTL after the server\'s clock', async function (this: BkpWorld, token: string) {
  const init = boundKeypairInit(await lastJoinThrough(this, token));
  assert.ok(init.expires, 'BoundKeypairInit carried no requested expiry');
  const expected = (await this.serverNow()).getTime() + this.bot.certificateTtlMs;
  const gap = Math.abs(Date.parse(init.expires) - expected);
  assert.ok(gap <= 1000, `the bot asked for certificates expiring at ${init.expires}, ${gap} ms away from ${new Date(expected).toISOString()}`);
});

Then('every challenge in the last join through token {string} named the key bound to the token', async function (this: BkpWorld, token: string) {
  const t = await lastJoinThrough(this, token);
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  const named = challengedKeys(t);
  assert.ok(named.length > 0, `no challenge in stream ${t.id}`);
  for (const k of named) assert.ok(publicKeysEqual(parseAuthorizedKey(k), parseAuthorizedKey(bound)), `a challenge named ${k}, the token is bound to ${bound}`);
});

/* BKP-CLI-004: a fresh certificate subject key per join, never the bound key. */
Then('the last two joins through token {string} asked for certificates for two different subject keys, neither of them the bound key', async function (this: BkpWorld, token: string) {
  const joins = await lastJoinsThrough(this, token, 2);
  const subjects = joins.map((t) => boundKeypairInit(t).subjectSshKey);
  const [a, b] = subjects;
  assert.ok(a && b, `a join sent no SSH subject key: ${JSON.stringify(subjects)}`);
  assert.notEqual(a, b, 'both joins asked for certificates for the same SSH key');
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  for (const k of [a, b]) assert.ok(!publicKeysEqual(parseAuthorizedKey(k), parseAuthorizedKey(bound)), 'a join asked for certificates for the bound key itself');
});

/* A bot that cannot (or must not) answer: the server heard no answer of that kind (BKP-STK-008, BKP-STK-010). */
Then(/^no (challenge solution|rotation response) was sent in the last join through token "([^"]+)"$/, async function (this: BkpWorld, what: string, token: string) {
  const t = await lastJoinThrough(this, token);
  const type = what === 'challenge solution' ? CHALLENGE_SOLUTION : ROTATION_RESPONSE;
  assert.equal(countOf(t, 'client', type), 0, `join stream ${t.id}: ${sequence(t)}`);
});

/* Failures before any join (BKP-STO-010/011/017): the server saw no stream at all from the bot's last run. */
Then('the bot\'s last run did not contact the server', async function (this: BkpWorld) {
  const joins = await joinsSinceLastRun(this);
  assert.deepEqual(joins.map((t) => `${t.id}: ${sequence(t)}`), [], 'the bot contacted the server');
});
