import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createCertificateAuthority, encodeAuthorizedKey, encodeSshCertificateAuthorizedKey, generateKeyPair, issueBotCertificate, issueSshUserCertificate,
} from '../../crypto/index.js';
import type { BotIdentity } from '../join/join-types.js';
import { memoryLog } from '../log.js';
import { manualClock, recordingStorage, tempStorage } from '../state/test-support.js';
import { IDENTITY_ITEMS, loadIdentity, saveIdentity } from './identity-store.js';

const HOUR = 3_600_000;
const start = new Date('2026-11-25T12:00:00Z');

async function makeIdentity(notBefore = start): Promise<BotIdentity> {
  const ca = await createCertificateAuthority({ clusterName: 'bot-test.example', algorithm: 'ecdsa-p256', now: new Date(start.getTime() - HOUR) });
  const subject = generateKeyPair('ecdsa-p256');
  const notAfter = new Date(notBefore.getTime() + HOUR);
  const der = await issueBotCertificate({
    ca, subjectPublicKey: subject.publicKey, clusterName: 'bot-test.example', botName: 'robot', botInstanceId: 'i-1', generation: 1,
    joinToken: 'robot-token', notBefore, notAfter,
  });
  const sshCa = generateKeyPair('ed25519');
  const ssh = issueSshUserCertificate({ caPrivateKey: sshCa.privateKey, subjectPublicKey: subject.publicKey, keyId: 'bot-robot', principals: ['bot-robot'], validAfter: notBefore, validBefore: notAfter });
  const caPem = new X509Certificate(ca.certificateDer).toString();
  return {
    keyPem: subject.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    tlsCertPem: new X509Certificate(der).toString(),
    tlsCaPems: [caPem, caPem],
    sshCert: encodeSshCertificateAuthorizedKey(ssh),
    sshCaKeys: [encodeAuthorizedKey(sshCa.publicKey), encodeAuthorizedKey(generateKeyPair('ed25519').publicKey)],
  };
}

test('save then load round-trips the identity; files are owner-only; nothing stored → undefined', async () => {
  const t = tempStorage();
  try {
    assert.equal(await loadIdentity(t.storage, 'robot-token', manualClock(start)), undefined);
    const identity = await makeIdentity();
    await saveIdentity(t.storage, 'robot-token', identity);
    assert.deepEqual(t.files(), Object.values(IDENTITY_ITEMS).sort());
    for (const f of t.files()) assert.equal(statSync(path.join(t.dir, f)).mode & 0o777, 0o600, f);
    const loaded = await loadIdentity(t.storage, 'robot-token', manualClock(new Date(start.getTime() + 1000)));
    assert.equal(loaded?.state, 'valid');
    assert.deepEqual(loaded?.identity, identity);
    assert.equal(loaded?.notAfter.getTime(), start.getTime() + HOUR);
  } finally {
    t.cleanup();
  }
});

test('validity is judged with the bot clock against the certificate; another token name is "other-token"', async () => {
  const t = tempStorage();
  try {
    await saveIdentity(t.storage, 'robot-token', await makeIdentity());
    const at = (ms: number) => manualClock(new Date(start.getTime() + ms));
    assert.equal((await loadIdentity(t.storage, 'robot-token', at(-1000)))?.state, 'not-yet-valid');
    assert.equal((await loadIdentity(t.storage, 'robot-token', at(HOUR)))?.state, 'valid');
    assert.equal((await loadIdentity(t.storage, 'robot-token', at(HOUR + 1000)))?.state, 'expired');
    assert.equal((await loadIdentity(t.storage, 'other-token', at(1000)))?.state, 'other-token');
  } finally {
    t.cleanup();
  }
});

test('an identity left half-written by a crash, or a damaged record, is ignored with a warning', async () => {
  for (const writes of [1, 2, 5]) {
    const t = tempStorage();
    try {
      await saveIdentity(t.storage, 'robot-token', await makeIdentity());
      const crashing = recordingStorage(t.storage, writes);
      await assert.rejects(saveIdentity(crashing, 'robot-token', await makeIdentity()), /simulated crash/);
      const log = memoryLog();
      assert.equal(await loadIdentity(t.storage, 'robot-token', manualClock(start), log), undefined, `crash after ${writes} writes`);
      assert.match(log.lines[0] ?? '', /^WARN The stored bot identity is unusable and will be ignored reason=/);
    } finally {
      t.cleanup();
    }
  }
  const t = tempStorage();
  try {
    await saveIdentity(t.storage, 'robot-token', await makeIdentity());
    writeFileSync(path.join(t.dir, IDENTITY_ITEMS.record), '{"token_name_sha256": 1}');
    const log = memoryLog();
    assert.equal(await loadIdentity(t.storage, 'robot-token', manualClock(start), log), undefined);
    assert.match(log.lines[0] ?? '', /identity\.json is not a valid identity record/);
  } finally {
    t.cleanup();
  }
});
