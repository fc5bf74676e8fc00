import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { TraceError } from '../protocol/errors.js';
import { certificateDerToPem, createCertificateAuthority } from './certificate-authority.js';
import type { CertificateAuthority } from './certificate-authority.js';
import {
  ERR_EXPIRED, ERR_FOREIGN, ERR_MALFORMED, ERR_NOT_YET_VALID, verifyCertificateChain,
} from './certificate-verification.js';
import { issueBotCertificate, issueHostCertificate, issueServerCertificate } from './certificates.js';
import { parseIdentityCertificate } from './identity-certificate.js';
import * as oid from './identity-oids.js';
import { encodePrivateKeyPem, generateKeyPair, publicKeysEqual } from './keys.js';
import type { KeyAlgorithm, KeyPair } from './keys.js';
import { assertTraceError, run, tempDir } from './test-support.js';

const CLUSTER = 'example.teleport.sh';
const NOW = new Date('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;
const tmp = tempDir();
after(() => tmp.cleanup());

const subjects: Record<KeyAlgorithm, KeyPair> = {
  'ed25519': generateKeyPair('ed25519'),
  'ecdsa-p256': generateKeyPair('ecdsa-p256'),
  'rsa': generateKeyPair('rsa'),
};
const cas = new Map<KeyAlgorithm, CertificateAuthority>();
async function ca(alg: KeyAlgorithm): Promise<CertificateAuthority> {
  let found = cas.get(alg);
  if (!found) {
    // Reuse the subject keys as CA keys so the file generates only one RSA key.
    found = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: alg, now: NOW, privateKey: subjects[alg].privateKey });
    cas.set(alg, found);
  }
  return found;
}

function botCert(authority: CertificateAuthority, subject: KeyPair, lifetime = { notBefore: NOW, notAfter: new Date(NOW.getTime() + HOUR) }) {
  return issueBotCertificate({
    ca: authority,
    subjectPublicKey: subject.publicKey,
    clusterName: CLUSTER,
    botName: 'robot',
    botInstanceId: '3c1f4a8e-0000-4000-8000-000000000001',
    generation: 7,
    joinToken: 'bound-token',
    joinAttributes: { bound_keypair: { recovery_count: 1 } },
    ...lifetime,
  });
}

function opensslVerify(caPem: string, leafDer: Buffer, at: Date): string {
  const caFile = tmp.path('ca.pem');
  const leafFile = tmp.path('leaf.pem');
  writeFileSync(caFile, caPem);
  writeFileSync(leafFile, certificateDerToPem(leafDer));
  return run('openssl', ['verify', '-attime', String(Math.floor(at.getTime() / 1000)), '-CAfile', caFile, leafFile]);
}

test('CA certificates are self-signed CAs named after the cluster, for every key type', async () => {
  for (const alg of ['ed25519', 'ecdsa-p256', 'rsa'] as const) {
    const authority = await ca(alg);
    const text = run('openssl', ['x509', '-noout', '-text', '-nameopt', 'RFC2253'], authority.certificatePem);
    assert.match(text, /CA:TRUE/);
    assert.match(text, /Certificate Sign, CRL Sign/);
    assert.match(text, new RegExp(`Subject: CN=${CLUSTER},O=${CLUSTER}`));
    assert.equal(authority.certificate.notBefore.getTime(), NOW.getTime());
    assert.ok(publicKeysEqual(authority.publicKey, subjects[alg].publicKey));
    assert.deepEqual(authority.certificateDer, Buffer.from(authority.certificate.rawData));
  }
  await assert.rejects(createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'rsa', now: NOW, privateKey: subjects.ed25519.privateKey }), /not a rsa key/);
});

test('bot certificates verify here and with openssl, for every CA and subject key type', async () => {
  for (const caAlg of ['ed25519', 'ecdsa-p256', 'rsa'] as const) {
    const authority = await ca(caAlg);
    for (const subject of Object.values(subjects)) {
      const der = await botCert(authority, subject);
      const result = verifyCertificateChain({ certificateDer: der, caCertificates: [authority.certificate], now: new Date(NOW.getTime() + 1000) });
      assert.ok(!(result instanceof TraceError), result instanceof TraceError ? result.message : '');
      assert.equal(result.ok, true);
      assert.match(opensslVerify(authority.certificatePem, der, new Date(NOW.getTime() + 1000)), /: OK/);
    }
  }
});

test('bot identity round-trips through the certificate with Teleport\'s subject OIDs', async () => {
  const der = await botCert(await ca('ecdsa-p256'), subjects.ed25519);
  const id = parseIdentityCertificate(der);
  assert.equal(id.username, 'bot-robot');
  assert.deepEqual(id.groups, ['bot-robot']);
  assert.equal(id.botName, 'robot');
  assert.equal(id.botInstanceId, '3c1f4a8e-0000-4000-8000-000000000001');
  assert.equal(id.generation, 7);
  assert.equal(id.joinToken, 'bound-token');
  assert.equal(id.clusterName, CLUSTER);
  assert.deepEqual(id.joinAttributes, { bound_keypair: { recovery_count: 1 } });
  assert.equal(id.hostId, undefined);
  assert.equal(id.notAfter.getTime(), NOW.getTime() + HOUR);
  assert.ok(publicKeysEqual(id.subjectPublicKey, subjects.ed25519.publicKey));
  assert.deepEqual(id.issuerDer, Buffer.from((await ca('ecdsa-p256')).certificate.subjectName.toArrayBuffer()));
  // openssl sees the attributes under Teleport's OIDs.
  const subject = run('openssl', ['x509', '-noout', '-subject', '-nameopt', 'oid,sep_multiline'], certificateDerToPem(der));
  assert.match(subject, new RegExp(`${oid.BOT_NAME.replace(/\./g, '\\.')}=robot`));
  assert.match(subject, /1\.3\.9999\.2\.20=3c1f4a8e/);
  assert.match(subject, /1\.3\.9999\.1\.14=7/);
  assert.match(subject, /1\.3\.9999\.1\.7=example\.teleport\.sh/);
  const text = run('openssl', ['x509', '-noout', '-text'], certificateDerToPem(der));
  assert.match(text, /TLS Web Client Authentication/);
  assert.match(text, /CA:FALSE/);
});

test('host identity: CN is the host ID, system roles in O and as Teleport attributes', async () => {
  const der = await issueHostCertificate({
    ca: await ca('ecdsa-p256'), subjectPublicKey: subjects['ecdsa-p256'].publicKey, clusterName: CLUSTER,
    hostId: 'a1b2c3d4-host', systemRoles: ['Instance', 'Node'], joinToken: 'agent-token',
    notBefore: NOW, notAfter: new Date(NOW.getTime() + HOUR),
  });
  const id = parseIdentityCertificate(der);
  assert.equal(id.hostId, 'a1b2c3d4-host');
  assert.deepEqual(id.groups, ['Instance', 'Node']);
  assert.deepEqual(id.systemRoles, ['Instance', 'Node']);
  assert.equal(id.joinToken, 'agent-token');
  assert.equal(id.botName, undefined);
  assert.equal(id.generation, undefined);
});

test('expired, not yet valid, foreign CA and garbage are reported precisely as Unauthenticated', async () => {
  const authority = await ca('ed25519');
  const der = await botCert(authority, subjects['ecdsa-p256']);
  const check = (certificateDer: Buffer, now: Date, cas = [authority.certificate]) =>
    verifyCertificateChain({ certificateDer, caCertificates: cas, now });
  const expectError = (result: ReturnType<typeof check>, message: string) => {
    assert.ok(result instanceof TraceError, 'expected an error');
    assert.equal(result.kind, 'Unauthenticated');
    assert.ok(result.message.includes(message), result.message);
  };
  assert.ok(!(check(der, NOW) instanceof TraceError));
  assert.ok(!(check(der, new Date(NOW.getTime() + HOUR)) instanceof TraceError));
  expectError(check(der, new Date(NOW.getTime() + HOUR + 1000)), ERR_EXPIRED);
  expectError(check(der, new Date(NOW.getTime() - 1000)), ERR_NOT_YET_VALID);
  const foreign = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'ed25519', now: NOW });
  expectError(check(der, NOW, [foreign.certificate]), ERR_FOREIGN);
  // Same subject name, different key: a look-alike CA is still foreign.
  expectError(check(await botCert(foreign, subjects.ed25519), NOW), ERR_FOREIGN);
  // Foreign wins over expired.
  expectError(check(der, new Date(NOW.getTime() + 10 * HOUR), [foreign.certificate]), ERR_FOREIGN);
  expectError(check(authority.certificateDer, NOW), ERR_FOREIGN);
  expectError(check(Buffer.from('garbage'), NOW), ERR_MALFORMED);
  expectError(check(Buffer.alloc(0), NOW), ERR_MALFORMED);
  expectError(check(der.subarray(0, der.length - 10), NOW), ERR_MALFORMED);
  // A bit flipped in the signed part breaks the signature.
  const flipped = Buffer.from(der);
  flipped[flipped.length - 80] = flipped[flipped.length - 80]! ^ 0x01;
  const flippedResult = check(flipped, NOW);
  assert.ok(flippedResult instanceof TraceError);
  // openssl agrees about time and issuer.
  assert.throws(() => opensslVerify(authority.certificatePem, der, new Date(NOW.getTime() + 2 * HOUR)), /expired/);
  assert.throws(() => opensslVerify(foreign.certificatePem, der, NOW), /unable to get local issuer certificate/);
  assertTraceError(() => parseIdentityCertificate(Buffer.from('garbage')), 'BadParameter', 'malformed certificate');
});

test('the server certificate carries SANs that a real TLS client accepts', async () => {
  const authority = await ca('ecdsa-p256');
  const key = subjects['ecdsa-p256'];
  const now = new Date();
  const der = await issueServerCertificate({
    ca: authority, subjectPublicKey: key.publicKey, dnsNames: ['localhost', CLUSTER], ipAddresses: ['127.0.0.1', '::1'],
    notBefore: new Date(now.getTime() - HOUR), notAfter: new Date(now.getTime() + HOUR),
  });
  // The CA above starts at NOW (2025); Node checks times at wall-clock, so use a CA valid today.
  const liveCa = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'ecdsa-p256', now: new Date(now.getTime() - HOUR) });
  const liveDer = await issueServerCertificate({
    ca: liveCa, subjectPublicKey: key.publicKey, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'],
    notBefore: new Date(now.getTime() - HOUR), notAfter: new Date(now.getTime() + HOUR),
  });
  const text = run('openssl', ['x509', '-noout', '-text'], certificateDerToPem(der));
  assert.match(text, /DNS:localhost, DNS:example\.teleport\.sh, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
  assert.match(text, /TLS Web Server Authentication/);
  const server = createServer({ key: encodePrivateKeyPem(key.privateKey), cert: certificateDerToPem(liveDer) }, (s) => s.end('hi'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    for (const servername of ['localhost', undefined]) {
      const socket = connect({ host: '127.0.0.1', port, ca: liveCa.certificatePem, ...(servername ? { servername } : {}) });
      const [data] = await once(socket, 'data');
      assert.equal(String(data), 'hi');
      socket.destroy();
    }
  } finally {
    server.close();
  }
  await assert.rejects(issueServerCertificate({
    ca: authority, subjectPublicKey: key.publicKey, dnsNames: [], ipAddresses: ['not-an-ip'], notBefore: NOW, notAfter: new Date(NOW.getTime() + HOUR),
  }), /not an IP address/);
});

test('issuers refuse bad inputs', async () => {
  const authority = await ca('ed25519');
  await assert.rejects(botCert(authority, subjects.ed25519, { notBefore: NOW, notAfter: NOW }), /notAfter must be later/);
  await assert.rejects(issueBotCertificate({
    ca: authority, subjectPublicKey: subjects.ed25519.publicKey, clusterName: CLUSTER, botName: 'robot', botInstanceId: 'i',
    generation: 0, joinToken: 't', notBefore: NOW, notAfter: new Date(NOW.getTime() + HOUR),
  }), /generation must be a positive integer/);
});
