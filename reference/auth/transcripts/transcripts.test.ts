// Transcripts of real join streams (always on, no scripted mode needed):
// what each message kept, what was redacted, paging, and bounds. The
// registration secret, the join state document and the challenge solution
// must never appear in a transcript.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { startAuthServer } from '../auth-server.js';
import type { RunningAuthServer } from '../auth-server.js';
import { control, createBotToken } from '../testing/control.js';
import { assertContract } from '../testing/contract.js';
import { TestJoinStream, honestJoin } from '../testing/join-test-client.js';
import type { KeyObject } from 'node:crypto';

type Fields = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface T { id: number; token_name?: string; authenticated: boolean; client_certificate?: Fields; end?: { code: string; message: string }; faults: string[]; messages: { direction: string; type: string; fields: Fields }[] }

const SECRET = 'registration-secret-never-to-be-seen-7f3a';
let server: RunningAuthServer;
before(async () => {
  server = await startAuthServer({ clusterName: 'transcripts.test' });
});
after(() => server.close());

async function transcripts(query = ''): Promise<{ text: string; list: T[] }> {
  const res = await control(server, 'GET', `transcripts${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assertContract('transcript-list.schema.json', res.body);
  return { text: JSON.stringify(res.body), list: (res.body as { transcripts: T[] }).transcripts };
}

const fieldsOf = (t: T | undefined, type: string) => t?.messages.find((m) => m.type === type)?.fields ?? {};

test('onboarding with a secret, then a renewal: everything kept, nothing secret', async () => {
  await createBotToken(server, 'robot-token', { registration_secret: SECRET });
  const keys: KeyObject[] = [];
  const onboarded = await honestJoin(server, { token: 'robot-token', keys, secret: SECRET });
  assert.equal(onboarded.code, 'OK', onboarded.details);
  const joinState = onboarded.result?.bot_result?.bound_keypair_result?.join_state as Buffer;
  const certPem = new X509Certificate(onboarded.result?.bot_result?.certificates?.tls_cert as Buffer).toString();
  const renewed = await honestJoin(server, { token: 'robot-token', keys, joinState, identity: { keyPem: onboarded.subjectKeyPem, certPem } });
  assert.equal(renewed.code, 'OK', renewed.details);

  const { text, list } = await transcripts('?token=robot-token');
  assert.ok(!text.includes(SECRET), 'the registration secret never appears');
  assert.ok(!text.includes(joinState.toString()), 'the join state document never appears');
  assert.ok(!text.includes(joinState.toString().split('.')[2] as string), 'nor its signature');
  assert.equal(list.length, 2);
  const [first, second] = list;
  assert.ok((second?.id ?? 0) > (first?.id ?? 0), 'ids increase');

  assert.equal(first?.authenticated, false);
  assert.deepEqual(first?.end, { code: 'OK', message: '' });
  assert.deepEqual(first?.faults, []);
  assert.deepEqual(first?.messages.map((m) => `${m.direction} ${m.type}`), [
    'client *messages.ClientInit', 'server *messages.ServerInit', 'client *messages.BoundKeypairInit',
    'server *messages.BoundKeypairRotationRequest', 'client *messages.BoundKeypairRotationResponse',
    'server *messages.BoundKeypairChallenge', 'client *messages.BoundKeypairChallengeSolution', 'server *messages.BotResult',
  ]);
  assert.deepEqual(fieldsOf(first, '*messages.ClientInit'), { join_method: 'bound_keypair', token_name: 'robot-token', system_role: 'Bot' });
  const init = fieldsOf(first, '*messages.BoundKeypairInit');
  assert.equal(init.initial_join_secret, '<redacted>');
  assert.equal(init.initial_join_secret_present, true);
  assert.equal(init.previous_join_state_present, false);
  assert.match(init.client_params.bot_params.public_keys.public_ssh_key, /^ecdsa-sha2-nistp256 AAAA/);
  assert.equal(init.client_params.bot_params.public_keys.public_tls_key.algorithm, 'ec');
  const rotated = fieldsOf(first, '*messages.BoundKeypairRotationResponse').public_key as string;
  assert.match(rotated, /^ssh-ed25519 AAAA/, 'public keys are not secret');
  const challenge = fieldsOf(first, '*messages.BoundKeypairChallenge');
  assert.equal(challenge.public_key, rotated);
  assert.equal(challenge.challenge.iss, 'transcripts.test');
  assert.match(challenge.challenge.nonce, /^[0-9a-f]+$/, 'a challenge keeps its claims');
  const solution = fieldsOf(first, '*messages.BoundKeypairChallengeSolution');
  assert.match(solution.solution, /^<challenge solution: \d+ bytes>$/);
  assert.deepEqual(solution.solution_header, { alg: 'EdDSA', typ: 'JWT' });
  assert.equal(solution.payload_sha256, challenge.challenge_sha256, 'an honest client signs the challenge byte for byte');
  const result = fieldsOf(first, '*messages.BotResult');
  assert.match(result.certificates.tls_cert.subject, /robot-token-bot/);
  assert.match(result.certificates.tls_cert.not_after, /^\d{4}-\d\d-\d\dT/);
  assert.equal(result.certificates.tls_ca_certs.length, 2);
  assert.match(result.certificates.ssh_cert.key_id, /./);
  assert.equal(result.bound_keypair_result.join_state, `<join state: ${joinState.length} bytes>`);
  assert.equal(result.bound_keypair_result.join_state_claims.sub, 'robot-token-bot');
  assert.equal(result.bound_keypair_result.join_state_claims.recovery_sequence, 1);
  assert.equal(result.bound_keypair_result.public_key, rotated);

  assert.equal(second?.authenticated, true, 'the renewal came over mutual TLS');
  assert.match(second?.client_certificate?.subject, /robot-token-bot/);
  const renewal = fieldsOf(second, '*messages.BoundKeypairInit');
  assert.equal(renewal.initial_join_secret_present, false);
  assert.equal(renewal.initial_join_secret, undefined);
  assert.equal(renewal.previous_join_state, `<join state: ${joinState.length} bytes>`);
  assert.equal(renewal.previous_join_state_sha256, createHash('sha256').update(joinState).digest('hex'));
  assert.equal(renewal.previous_join_state_sha256, result.bound_keypair_result.join_state_sha256);
  assert.equal(renewal.previous_join_state_claims.sub, 'robot-token-bot');
});

test('paging with after and limit, filtering by token, and reset', async () => {
  const all = (await transcripts()).list;
  assert.ok(all.length >= 2);
  const [a, b] = all;
  assert.deepEqual((await transcripts('?limit=1')).list.map((t) => t.id), [a?.id]);
  assert.deepEqual((await transcripts(`?after=${a?.id}&limit=1`)).list.map((t) => t.id), [b?.id]);
  assert.deepEqual((await transcripts('?token=nobody')).list, []);
  const last = all.at(-1)?.id ?? 0;
  await control(server, 'POST', 'reset');
  assert.deepEqual((await transcripts()).list, [], 'reset clears them');
  const refused = await honestJoin(server, { token: 'robot-token', keys: [] });
  const [fresh] = (await transcripts()).list;
  assert.ok((fresh?.id ?? 0) > last, 'ids are never reused, not even across a reset');
  assert.deepEqual(fresh?.end, { code: refused.code, message: refused.details }, 'the end is what the client was told');
  assert.match(refused.details, /token expired or not found/);
});

test('client-supplied text is kept short', async () => {
  const stream = new TestJoinStream(server);
  stream.send({ client_init: { join_method: 'bound_keypair', token_name: 'x'.repeat(20_000), system_role: 'Bot' } });
  await stream.end();
  stream.close();
  const t = (await transcripts()).list.at(-1);
  const name = fieldsOf(t, '*messages.ClientInit').token_name as string;
  assert.ok(name.length <= 513, `kept ${name.length} characters`);
  assert.ok((t?.token_name?.length ?? 0) > 0 && (t?.token_name?.length ?? 0) <= 513);
});
