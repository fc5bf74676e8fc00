import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { encodeSshWirePublicKey } from './authorized-keys.js';
import { generateKeyPair, publicKeysEqual } from './keys.js';
import type { KeyAlgorithm, KeyPair } from './keys.js';
import { parseSshCertificate } from './ssh-certificate-parser.js';
import { encodeSshCertificateAuthorizedKey, issueSshHostCertificate, issueSshUserCertificate } from './ssh-certificates.js';
import { assertTraceError, run, tempDir } from './test-support.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const keys: Record<KeyAlgorithm, KeyPair> = {
  'ed25519': generateKeyPair('ed25519'),
  'ecdsa-p256': generateKeyPair('ecdsa-p256'),
  'rsa': generateKeyPair('rsa'),
};
const VALID_AFTER = new Date('2025-06-01T12:00:00Z');
const VALID_BEFORE = new Date('2025-06-01T13:00:00Z');

function sshKeygenList(cert: Buffer): string {
  const file = tmp.path('id-cert.pub');
  writeFileSync(file, `${encodeSshCertificateAuthorizedKey(cert)}\n`);
  return run('ssh-keygen', ['-L', '-f', file], undefined, { TZ: 'UTC' });
}

const fingerprint = (blob: Buffer) => createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');

test('ssh-keygen -L parses user certificates for every CA and subject key type', () => {
  const typeNames: Record<KeyAlgorithm, string> = {
    'ed25519': 'ssh-ed25519-cert-v01@openssh.com',
    'ecdsa-p256': 'ecdsa-sha2-nistp256-cert-v01@openssh.com',
    'rsa': 'ssh-rsa-cert-v01@openssh.com',
  };
  const caNames: Record<KeyAlgorithm, string> = { 'ed25519': 'ED25519', 'ecdsa-p256': 'ECDSA', 'rsa': 'RSA' };
  for (const caAlg of Object.keys(keys) as KeyAlgorithm[]) {
    for (const subjectAlg of Object.keys(keys) as KeyAlgorithm[]) {
      const cert = issueSshUserCertificate({
        caPrivateKey: keys[caAlg].privateKey,
        subjectPublicKey: keys[subjectAlg].publicKey,
        keyId: 'bot-robot',
        principals: ['bot-robot', 'root'],
        validAfter: VALID_AFTER,
        validBefore: VALID_BEFORE,
        extensions: { 'permit-pty': '', 'teleport-roles': '{"roles":["bot-robot"]}' },
        criticalOptions: { 'source-address': '10.0.0.0/8' },
        serial: 42n,
      });
      const out = sshKeygenList(cert);
      assert.match(out, new RegExp(`Type: ${typeNames[subjectAlg]} user certificate`));
      assert.match(out, new RegExp(`Signing CA: ${caNames[caAlg]} SHA256:${fingerprint(encodeSshWirePublicKey(keys[caAlg].publicKey)).replace(/\+/g, '\\+')}`));
      if (caAlg === 'rsa') assert.match(out, /using rsa-sha2-512/);
      assert.match(out, /Key ID: "bot-robot"/);
      assert.match(out, /Serial: 42/);
      assert.match(out, /Valid: from 2025-06-01T12:00:00 to 2025-06-01T13:00:00/);
      assert.match(out, /Principals: \n\s+bot-robot\n\s+root\n/);
      // ssh-keygen decodes a known option's value, proving the string-in-string encoding.
      assert.match(out, /Critical Options: \n\s+source-address 10\.0\.0\.0\/8\n/);
      assert.match(out, /Extensions: \n\s+permit-pty\n\s+teleport-roles UNKNOWN OPTION/);

      const parsed = parseSshCertificate(cert);
      assert.equal(parsed.certType, 'user');
      assert.deepEqual(parsed.principals, ['bot-robot', 'root']);
      assert.deepEqual(parsed.extensions, { 'permit-pty': '', 'teleport-roles': '{"roles":["bot-robot"]}' });
      assert.deepEqual(parsed.criticalOptions, { 'source-address': '10.0.0.0/8' });
      assert.equal(parsed.serial, 42n);
      assert.equal(parsed.keyId, 'bot-robot');
      assert.equal(parsed.validBefore.getTime(), VALID_BEFORE.getTime());
      assert.ok(publicKeysEqual(parsed.publicKey, keys[subjectAlg].publicKey));
      assert.ok(publicKeysEqual(parsed.signatureKey, keys[caAlg].publicKey));
    }
  }
});

test('host certificates are labelled as such', () => {
  const cert = issueSshHostCertificate({
    caPrivateKey: keys.ed25519.privateKey, subjectPublicKey: keys['ecdsa-p256'].publicKey, keyId: 'host-uuid',
    principals: ['host-uuid', 'host-uuid.example.teleport.sh'], validAfter: VALID_AFTER, validBefore: VALID_BEFORE,
  });
  assert.match(sshKeygenList(cert), /host certificate/);
  assert.equal(parseSshCertificate(cert).certType, 'host');
});

test('a tampered certificate fails both here and in ssh-keygen', () => {
  const cert = issueSshUserCertificate({
    caPrivateKey: keys['ecdsa-p256'].privateKey, subjectPublicKey: keys.ed25519.publicKey, keyId: 'bot-robot',
    principals: ['bot-robot'], validAfter: VALID_AFTER, validBefore: VALID_BEFORE,
  });
  const tampered = Buffer.from(cert);
  const keyIdAt = tampered.indexOf('bot-robot');
  tampered[keyIdAt] = 'c'.charCodeAt(0);
  assertTraceError(() => parseSshCertificate(tampered), 'BadParameter', 'signature does not verify');
  assert.throws(() => sshKeygenList(tampered));
  assertTraceError(() => parseSshCertificate(Buffer.concat([cert, Buffer.from([0])])), 'BadParameter', 'trailing bytes');
  assertTraceError(() => parseSshCertificate(cert.subarray(0, 40)), 'BadParameter', 'truncated');
});

test('issuance refuses bad parameters', () => {
  const base = {
    caPrivateKey: keys.ed25519.privateKey, subjectPublicKey: keys.ed25519.publicKey, keyId: 'k', principals: ['p'],
    validAfter: VALID_AFTER, validBefore: VALID_BEFORE,
  };
  assertTraceError(() => issueSshUserCertificate({ ...base, validBefore: VALID_AFTER }), 'BadParameter', 'validBefore');
  assertTraceError(() => issueSshUserCertificate({ ...base, caPrivateKey: keys.ed25519.publicKey }), 'BadParameter', 'private key');
  assertTraceError(() => issueSshUserCertificate({ ...base, principals: [''] }), 'BadParameter', 'empty principal');
});
