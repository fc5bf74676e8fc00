// The join client's side of the protocol, against a scripted join service:
// what it sends, and how it treats a server that misbehaves in ways the
// reference auth server never does.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { CertificateAuthority } from '../../crypto/index.js';
import { encodeAuthorizedKey, encodeSshWirePublicKey, generateKeyPair, issueBotCertificate, issueSshUserCertificate, parseSshWirePublicKey } from '../../crypto/index.js';
import type { BotResult, JoinRequest } from '../../protocol/messages.js';
import { memoryLog } from '../log.js';
import type { FsClientState } from '../state/fs-client-state.js';
import { createKeypair } from '../state/fs-state-loader.js';
import { manualClock, tempStorage } from '../state/test-support.js';
import { joinOnce } from './join-client.js';
import { BotJoinError } from './join-types.js';
import type { JoinOptions } from './join-types.js';
import { startScriptedServer } from './scripted-server.js';
import type { Script, ScriptedStream } from './scripted-server.js';

const storages: ReturnType<typeof tempStorage>[] = [];
after(() => storages.forEach((s) => s.cleanup()));
const clock = manualClock(new Date());

async function newState(): Promise<FsClientState> {
  const t = tempStorage();
  storages.push(t);
  return createKeypair(t.storage, 'balanced-v1', memoryLog(), clock);
}

async function run(script: Script, state: FsClientState, extra: Partial<JoinOptions> = {}): Promise<{ error?: BotJoinError; received: JoinRequest[] }> {
  let stream: ScriptedStream | undefined;
  const server = await startScriptedServer(async (s, ca) => {
    stream = s;
    await script(s, ca);
  });
  try {
    await joinOnce({
      authAddress: server.address, trust: server.trust, tokenName: 'robot', state, certificateTtlMs: 3_600_000, timeoutMs: 3_000,
      clock, log: memoryLog(), ...extra,
    });
    return { received: stream?.received ?? [] };
  } catch (err) {
    assert.ok(err instanceof BotJoinError, String(err));
    return { error: err, received: stream?.received ?? [] };
  } finally {
    await server.close();
  }
}

/** ClientInit → ServerInit → BoundKeypairInit, returning the BoundKeypairInit. */
async function opening(s: ScriptedStream, joinMethod = 'bound_keypair'): Promise<JoinRequest> {
  await s.recv();
  s.send({ init: { join_method: joinMethod, signature_algorithm_suite: 'balanced-v1' } });
  return (await s.recv()) ?? {};
}

async function validResult(ca: CertificateAuthority, init: JoinRequest, publicKey: string): Promise<BotResult> {
  const keys = init.bound_keypair_init?.client_params?.bot_params?.public_keys ?? {};
  const subject = createPublicKey({ key: keys.public_tls_key ?? Buffer.alloc(0), format: 'der', type: 'spki' });
  const now = clock.now();
  const tls = await issueBotCertificate({
    ca, subjectPublicKey: subject, clusterName: 'scripted.example', botName: 'robot', botInstanceId: 'i-1', generation: 1,
    joinToken: 'robot', notBefore: now, notAfter: new Date(now.getTime() + 3_600_000),
  });
  const sshCa = generateKeyPair('ed25519');
  const ssh = issueSshUserCertificate({
    caPrivateKey: sshCa.privateKey, subjectPublicKey: parseSshWirePublicKey(keys.public_ssh_key ?? Buffer.alloc(0)),
    keyId: 'bot-robot', principals: ['bot-robot'], validAfter: now, validBefore: new Date(now.getTime() + 3_600_000),
  });
  return {
    certificates: { tls_cert: tls, tls_ca_certs: [ca.certificateDer], ssh_cert: ssh, ssh_ca_keys: [encodeSshWirePublicKey(sshCa.publicKey)] },
    bound_keypair_result: { public_key: Buffer.from(publicKey), join_state: Buffer.from('jwt') },
  };
}

test('sends ClientInit{bound_keypair, token, Bot} and BoundKeypairInit with fresh subject keys, expiry, secret', async () => {
  const state = await newState();
  const { error, received } = await run(async (s) => {
    await opening(s);
    s.end(grpc.status.PERMISSION_DENIED, 'stop here');
  }, state, { registrationSecret: 's3cret' });
  assert.equal(error?.code, 'PERMISSION_DENIED');
  const { join_method, token_name, system_role } = received[0]?.client_init ?? {};
  assert.deepEqual({ join_method, token_name, system_role }, { join_method: 'bound_keypair', token_name: 'robot', system_role: 'Bot' });
  const init = received[1]?.bound_keypair_init;
  assert.equal(init?.initial_join_secret, 's3cret', 'no join state yet: the secret is sent');
  const keys = init?.client_params?.bot_params?.public_keys;
  const tlsKey = createPublicKey({ key: keys?.public_tls_key ?? Buffer.alloc(0), format: 'der', type: 'spki' });
  assert.equal(tlsKey.asymmetricKeyDetails?.namedCurve, 'prime256v1', 'balanced-v1 host identity keys are P-256');
  assert.equal(encodeAuthorizedKey(parseSshWirePublicKey(keys?.public_ssh_key ?? Buffer.alloc(0))), encodeAuthorizedKey(tlsKey));
  assert.notEqual(encodeAuthorizedKey(tlsKey), state.activePublicKey, 'the certificate key is not the bound key');
  const expires = init?.client_params?.bot_params?.expires;
  assert.equal(Number(expires?.seconds), Math.floor((clock.now().getTime() + 3_600_000) / 1000));

  await state.acceptResult({ publicKey: state.activePublicKey ?? '', joinState: Buffer.from('jwt-0') });
  const second = await run(async (s) => {
    await opening(s);
    s.end(grpc.status.PERMISSION_DENIED, 'stop here');
  }, state, { registrationSecret: 's3cret' });
  assert.equal(second.received[1]?.bound_keypair_init?.initial_join_secret, undefined, 'a join state is stored: no secret');
  assert.equal(second.received[1]?.bound_keypair_init?.previous_join_state?.toString(), 'jwt-0');
});

test('an unexpected message: the bot gives up with REASON_UNSUPPORTED_MESSAGE_TYPE', async () => {
  const { error, received } = await run(async (s) => {
    await opening(s);
    s.send({ init: { join_method: 'bound_keypair' } });
    await s.recv();
    s.end();
  }, await newState());
  assert.equal(error?.code, 'LOCAL');
  assert.equal(error?.message, 'server sent unexpected message type *messages.ServerInit');
  assert.equal(received.at(-1)?.giving_up?.reason, 'REASON_UNSUPPORTED_MESSAGE_TYPE');
});

test('another join method chosen by the server is refused', async () => {
  const { error, received } = await run(async (s) => {
    await opening(s, 'token');
    s.end();
  }, await newState());
  assert.match(error?.message ?? '', /server selected join method "token"/);
  assert.equal(received.at(-1)?.giving_up?.reason, 'REASON_UNSUPPORTED_JOIN_METHOD');
});

test('a result without bound keypair data, or naming an unknown key, or certifying another key, is refused', async () => {
  const state = await newState();
  const cases: [(ca: CertificateAuthority, init: JoinRequest) => Promise<BotResult>, RegExp][] = [
    [async (ca, init) => ({ ...(await validResult(ca, init, '')), bound_keypair_result: undefined }), /^register result is missing bound keypair parameters$/],
    [async (ca, init) => validResult(ca, init, encodeAuthorizedKey(generateKeyPair('ed25519').publicKey)), /^fetching key requested by auth: no matching key found$/],
    [async (ca) => {
      const other = generateKeyPair('ecdsa-p256').publicKey;
      return validResult(ca, { bound_keypair_init: { client_params: { bot_params: { public_keys: {
        public_tls_key: other.export({ type: 'spki', format: 'der' }), public_ssh_key: encodeSshWirePublicKey(other),
      } } } } }, state.activePublicKey ?? '');
    }, /TLS certificate was issued for a different public key/],
  ];
  for (const [makeResult, expected] of cases) {
    const { error } = await run(async (s, ca) => {
      const init = await opening(s);
      s.send({ result: { bot_result: await makeResult(ca, init) } });
      s.end();
    }, state);
    assert.match(error?.message ?? '', expected);
  }
  assert.equal(state.hasJoinState, false, 'nothing was accepted');
});

test('more than one rotation request in a join is refused; the history gains one key only', async () => {
  const state = await newState();
  const { error, received } = await run(async (s) => {
    await opening(s);
    for (let i = 0; i < 2; i++) {
      s.send({ challenge: { bound_keypair_rotation_request: { signature_algorithm_suite: 'balanced-v1' } } });
      await s.recv();
    }
    s.end();
  }, state);
  assert.match(error?.message ?? '', /more than one keypair rotation/);
  assert.equal(received.at(-1)?.giving_up?.reason, 'REASON_CHALLENGE_SOLUTION_FAILED');
  assert.equal(state.historyPublicKeys.length, 2);
});

test('transient failures: the retryable commit race, a stream ended without a result, a silent server', async () => {
  const state = await newState();
  let r = await run(async (s) => {
    await opening(s);
    s.end(grpc.status.FAILED_PRECONDITION, 'committing updated token state, please try again');
  }, state);
  assert.deepEqual([r.error?.code, r.error?.transient], ['FAILED_PRECONDITION', true]);
  r = await run(async (s) => {
    await opening(s);
    s.end();
  }, state);
  assert.deepEqual([r.error?.code, r.error?.transient], ['UNKNOWN', true]);
  const started = Date.now();
  r = await run(async (s) => {
    await opening(s);
    await s.recv();
  }, state, { timeoutMs: 300 });
  assert.deepEqual([r.error?.code, r.error?.transient], ['DEADLINE_EXCEEDED', true]);
  assert.ok(Date.now() - started < 2_000, 'the deadline holds');
});
