// Keypair rotation through the join client against the reference auth
// server: secret onboarding (the server asks for the first key), a rotation
// during a renewal, and a signer found in the history after the server was
// made to trust an older key (as after a cluster rollback).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadIdentity, saveIdentity } from '../identity/identity-store.js';
import { memoryLog } from '../log.js';
import { emptyFsClientState, loadFsClientState } from '../state/fs-state-loader.js';
import { recordingStorage, tempStorage } from '../state/test-support.js';
import type { TempStorage } from '../state/test-support.js';
import { joinOnce } from './join-client.js';
import type { BotIdentity, JoinOptions } from './join-types.js';
import { startTestCluster } from './test-cluster.js';
import type { Json, TestCluster } from './test-cluster.js';

let cluster: TestCluster;
let t: TempStorage;
before(async () => {
  cluster = await startTestCluster();
  t = tempStorage();
});
after(async () => {
  await cluster.close();
  t.cleanup();
});

function options(state: JoinOptions['state'], extra: Partial<JoinOptions> = {}): JoinOptions {
  return {
    authAddress: cluster.server.joinAddress, trust: cluster.trust, tokenName: 'robot', state,
    certificateTtlMs: 60 * 60_000, timeoutMs: 10_000, clock: cluster.botClock, log: memoryLog(), ...extra,
  };
}

async function messagesOfLastAttempt(token: string): Promise<string[]> {
  const items = (await cluster.control('GET', `join-attempts?token_name=${token}`)).body.items as { messages: { type: string }[] }[];
  return (items.at(-1)?.messages ?? []).map((m) => m.type);
}

async function renew(): Promise<{ identity: BotIdentity; lines: string[] }> {
  const log = memoryLog();
  const state = (await loadFsClientState(t.storage, log, cluster.botClock))!;
  const stored = await loadIdentity(t.storage, 'robot', cluster.botClock);
  assert.equal(stored?.state, 'valid');
  const identity = await joinOnce(options(state, { identity: stored!.identity, log }));
  await saveIdentity(t.storage, 'robot', identity);
  return { identity, lines: log.lines };
}

test('a rotation request the bot cannot persist is never answered: it gives up and nothing is bound', async () => {
  await cluster.createToken('unlucky', { recovery: { limit: 1 } });
  const secret = String((await cluster.tokenStatus('unlucky')).registration_secret);
  const scratch = tempStorage();
  try {
    const state = await emptyFsClientState(recordingStorage(scratch.storage, 0), memoryLog(), cluster.botClock);
    await assert.rejects(joinOnce(options(state, { tokenName: 'unlucky', registrationSecret: secret })), /^BotJoinError: requesting new keypair: .*simulated crash/);
    assert.deepEqual(scratch.files(), [], 'nothing was written');
  } finally {
    scratch.cleanup();
  }
  const messages = await messagesOfLastAttempt('unlucky');
  assert.ok(messages.includes('*messages.GivingUp'), messages.join(', '));
  assert.ok(!messages.includes('*messages.BoundKeypairRotationResponse'), messages.join(', '));
  const status = await cluster.tokenStatus('unlucky');
  assert.equal(status.registration_secret, secret, 'the secret was not consumed');
  assert.ok(!status.bound_public_key);
});

test('secret onboarding: the server asks for a key, the bot persists it first, then makes it active on the result', async () => {
  await cluster.createToken('robot', { recovery: { limit: 2, mode: 'standard' } });
  const secret = String((await cluster.tokenStatus('robot')).registration_secret);
  const recording = recordingStorage(t.storage);
  const log = memoryLog();
  const state = await emptyFsClientState(recording, log, cluster.botClock);
  const identity = await joinOnce(options(state, { registrationSecret: secret, log }));
  await saveIdentity(t.storage, 'robot', identity);

  assert.deepEqual(recording.writes, ['bkp_key_history.json', 'id_bkp', 'id_bkp.pub', 'bkp_state']);
  assert.deepEqual(await messagesOfLastAttempt('robot'), [
    '*messages.ClientInit', '*messages.ServerInit', '*messages.BoundKeypairInit', '*messages.BoundKeypairRotationRequest',
    '*messages.BoundKeypairRotationResponse', '*messages.BoundKeypairChallenge', '*messages.BoundKeypairChallengeSolution', '*messages.BotResult',
  ]);
  const status = await cluster.tokenStatus('robot');
  assert.equal(status.bound_public_key, state.activePublicKey);
  assert.equal(status.registration_secret ?? '', '', 'the secret was consumed');
  const info = log.lines.filter((l) => l.startsWith('INFO '));
  assert.equal(info.length, 3, info.join('\n'));
  assert.match(info[0] ?? '', /^INFO Server has requested keypair rotation suite=balanced-v1$/);
  assert.equal(info[1], `INFO Generated new keypair public_key="${state.activePublicKey}"`);
  assert.equal(info[2], `INFO Set new active keypair public_key="${state.activePublicKey}"`);
  assert.deepEqual(state.joinParameters(secret).initialJoinSecret, '', 'the secret is not sent again');
});

test('a rotation during a renewal, in the suite the server announces (fips-v1 → ECDSA P-256)', async () => {
  const before = (await loadFsClientState(t.storage, memoryLog(), cluster.botClock))!.activePublicKey;
  const instance = (await cluster.tokenStatus('robot')).bound_bot_instance_id;
  assert.equal((await cluster.control('PATCH', 'settings', { signature_algorithm_suite: 'fips-v1' })).status, 200);
  try {
    cluster.clock.advance(1_000);
    assert.equal((await cluster.control('POST', 'tokens/robot/rotation-request')).status, 200);
    const { lines } = await renew();
    assert.ok(lines.some((l) => l.startsWith('INFO Server has requested keypair rotation suite=fips-v1')), lines.join('\n'));
  } finally {
    await cluster.control('PATCH', 'settings', { signature_algorithm_suite: 'balanced-v1' });
  }
  const state = (await loadFsClientState(t.storage, memoryLog(), cluster.botClock))!;
  assert.match(state.activePublicKey ?? '', /^ecdsa-sha2-nistp256 /);
  assert.deepEqual(state.historyPublicKeys, [state.activePublicKey, before]);
  const status = await cluster.tokenStatus('robot');
  assert.equal(status.bound_public_key, state.activePublicKey);
  assert.ok(status.last_rotated_at);
  assert.equal(status.bound_bot_instance_id, instance, 'a rotation keeps the bot instance');
  assert.equal(status.recovery_count, 1);
});

test('the server trusts an older key again (raw status write): the bot signs with it from the history', async () => {
  const state = (await loadFsClientState(t.storage, memoryLog(), cluster.botClock))!;
  const [current, older] = state.historyPublicKeys;
  const token = (await cluster.control('GET', 'tokens/robot')).body;
  const status = structuredClone(token.status) as { bound_keypair: Json };
  status.bound_keypair.bound_public_key = older;
  assert.equal((await cluster.control('PUT', 'tokens/robot/status', status)).status, 200);

  const { lines } = await renew();
  assert.ok(lines.includes(`INFO Set new active keypair public_key="${older}"`), lines.join('\n'));
  const reloaded = (await loadFsClientState(t.storage, memoryLog(), cluster.botClock))!;
  assert.equal(reloaded.activePublicKey, older);
  assert.deepEqual(reloaded.historyPublicKeys, [current, older], 'the history is unchanged');
  assert.equal((await cluster.tokenStatus('robot')).bound_public_key, older);
});
