// The join client against the reference auth server (in-process, virtual
// clock): onboarding with a pre-registered key, renewal over mutual TLS,
// refusals surfacing as BotJoinError, static keys.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { encodeAuthorizedKey, encodePrivateKeyPem, generateKeyPair } from '../../crypto/index.js';
import { loadIdentity, saveIdentity } from '../identity/identity-store.js';
import { memoryLog } from '../log.js';
import type { ClientState } from '../state/client-state.js';
import { createKeypair, emptyFsClientState, loadFsClientState } from '../state/fs-state-loader.js';
import { StaticClientState, loadStaticKey } from '../state/static-client-state.js';
import { tempStorage } from '../state/test-support.js';
import type { TempStorage } from '../state/test-support.js';
import { joinOnce } from './join-client.js';
import { BotJoinError } from './join-types.js';
import type { JoinOptions } from './join-types.js';
import { startTestCluster } from './test-cluster.js';
import type { TestCluster } from './test-cluster.js';

let cluster: TestCluster;
const dirs: TempStorage[] = [];
before(async () => { cluster = await startTestCluster(); });
after(async () => {
  await cluster.close();
  for (const d of dirs) d.cleanup();
});

function storage(): TempStorage {
  const t = tempStorage();
  dirs.push(t);
  return t;
}

function options(tokenName: string, state: ClientState, extra: Partial<JoinOptions> = {}): JoinOptions {
  return {
    authAddress: cluster.server.joinAddress, trust: cluster.trust, tokenName, state,
    certificateTtlMs: 60 * 60_000, timeoutMs: 10_000, clock: cluster.botClock, log: memoryLog(), ...extra,
  };
}

async function joinError(promise: Promise<unknown>): Promise<BotJoinError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof BotJoinError, `expected a BotJoinError, got ${String(err)}`);
    return err;
  }
  assert.fail('the join succeeded');
}

test('pre-registered key: onboarding, then renewals over mutual TLS with the returned identity', async () => {
  const t = storage();
  const created = await createKeypair(t.storage, 'balanced-v1', memoryLog(), cluster.botClock);
  await cluster.createToken('prereg', { onboarding: { initial_public_key: created.activePublicKey }, recovery: { limit: 1, mode: 'standard' } });
  const state = (await loadFsClientState(t.storage, memoryLog(), cluster.botClock))!;

  const identity = await joinOnce(options('prereg', state));
  const cert = new X509Certificate(identity.tlsCertPem);
  assert.equal(new Date(cert.validTo).getTime(), Math.floor((cluster.clock.now().getTime() + 3_600_000) / 1000) * 1000, 'expires = now + TTL');
  assert.equal(identity.tlsCaPems.length, 2);
  assert.match(identity.sshCert, /-cert-v01@openssh\.com /);
  const status = await cluster.tokenStatus('prereg');
  assert.equal(status.bound_public_key, created.activePublicKey);
  assert.equal(status.recovery_count, 1);
  assert.ok(state.hasJoinState);
  assert.deepEqual(t.files(), ['bkp_key_history.json', 'bkp_state', 'id_bkp', 'id_bkp.pub']);

  await saveIdentity(t.storage, 'prereg', identity);
  for (let i = 0; i < 2; i++) {
    cluster.clock.advance(20 * 60_000);
    const reloaded = (await loadFsClientState(t.storage, memoryLog(), cluster.botClock))!;
    const stored = await loadIdentity(t.storage, 'prereg', cluster.botClock);
    assert.equal(stored?.state, 'valid');
    const renewed = await joinOnce(options('prereg', reloaded, { identity: stored!.identity }));
    await saveIdentity(t.storage, 'prereg', renewed);
  }
  const after = await cluster.tokenStatus('prereg');
  assert.equal(after.recovery_count, 1, 'renewals consume no recovery');
  assert.equal(after.bound_bot_instance_id, status.bound_bot_instance_id, 'same bot instance');
});

test('refusals surface the server\'s status and text, and are not transient', async () => {
  const t = storage();
  const created = await createKeypair(t.storage, 'balanced-v1', memoryLog(), cluster.botClock);
  await cluster.createToken('no-recovery', { onboarding: { initial_public_key: created.activePublicKey }, recovery: { limit: 0, mode: 'standard' } });
  let err = await joinError(joinOnce(options('no-recovery', created)));
  assert.equal(err.code, 'PERMISSION_DENIED');
  assert.match(err.message, /no recovery attempts remaining/);
  assert.equal(err.transient, false);

  await cluster.createToken('secret', { recovery: { limit: 1 } });
  const empty = await emptyFsClientState(storage().storage, memoryLog(), cluster.botClock);
  err = await joinError(joinOnce(options('secret', empty, { registrationSecret: 'wrong' })));
  assert.equal(err.code, 'PERMISSION_DENIED');
  assert.match(err.message, /a valid registration secret is required/);

  err = await joinError(joinOnce(options('no-such-token', created)));
  assert.match(err.message, /token expired or not found/);
  assert.equal(err.transient, false);
});

test('a key the state does not hold: the bot gives up with "could not lookup signer for public key"', async () => {
  const other = generateKeyPair('ed25519');
  await cluster.createToken('foreign-key', { onboarding: { initial_public_key: encodeAuthorizedKey(other.publicKey) } });
  const t = storage();
  const mine = await createKeypair(t.storage, 'balanced-v1', memoryLog(), cluster.botClock);
  const err = await joinError(joinOnce(options('foreign-key', mine)));
  assert.equal(err.code, 'LOCAL');
  assert.match(err.message, /^could not lookup signer for public key ssh-ed25519 \S+: no matching key found$/);
  const attempts = (await cluster.control('GET', 'join-attempts?token_name=foreign-key')).body.items as { messages: { type: string }[] }[];
  assert.ok(attempts[0]?.messages.some((m) => m.type === '*messages.GivingUp'), 'the server was told');
});

test('an unreachable server is a transient UNAVAILABLE; a wrong CA fails the TLS handshake', async () => {
  const t = storage();
  const state = await createKeypair(t.storage, 'balanced-v1', memoryLog(), cluster.botClock);
  let err = await joinError(joinOnce(options('prereg', state, { authAddress: '127.0.0.1:1', timeoutMs: 3_000 })));
  assert.equal(err.code, 'UNAVAILABLE');
  assert.equal(err.transient, true);
  err = await joinError(joinOnce(options('prereg', state, { trust: { caPems: [cluster.server.authorities.userCa.certificatePem], serverName: 'bot-test.example' } })));
  assert.equal(err.code, 'UNAVAILABLE');
  err = await joinError(joinOnce(options('prereg', state, { trust: {} })));
  assert.equal(err.code, 'LOCAL');
  assert.match(err.message, /no certificate authority/);
});

test('static key: joins an insecure token, writes nothing, refuses a mismatch and a rotation', async () => {
  const key = generateKeyPair('ed25519');
  const envValue = Buffer.from(encodePrivateKeyPem(key.privateKey)).toString('base64');
  await cluster.createToken('static', { onboarding: { initial_public_key: encodeAuthorizedKey(key.publicKey) }, recovery: { mode: 'insecure' } });
  const log = memoryLog();
  const state = new StaticClientState((await loadStaticKey({ envValue }))!, log);
  await joinOnce(options('static', state, { registrationSecret: 'ignored' }));
  await joinOnce(options('static', state, { trust: { insecure: true } })); // tbot's --insecure: the server is not verified
  assert.ok(log.lines.includes('WARN A registration secret was specified while using a static private key and will be ignored'));

  const stranger = new StaticClientState(generateKeyPair('ed25519'), memoryLog());
  let err = await joinError(joinOnce(options('static', stranger)));
  assert.match(err.message, /configured static private key does match the value requested by the server, cannot continue/);

  cluster.clock.advance(1_000);
  assert.equal((await cluster.control('POST', 'tokens/static/rotation-request')).status, 200);
  err = await joinError(joinOnce(options('static', state)));
  assert.equal(err.code, 'LOCAL');
  assert.match(err.message, /^requesting new keypair: static private keys do not support automatic rotation/);
});
