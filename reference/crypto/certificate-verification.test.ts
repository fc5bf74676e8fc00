// What the hot-path savings in certificate checking and issuing must not
// change: a CA certificate is still no identity, a non-CA in the trusted list
// still signs nothing, the identity read from the verified certificate is the
// one parsed from its bytes, and each certificate names its own issuer's key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceError } from '../protocol/errors.js';
import { createCertificateAuthority } from './certificate-authority.js';
import { ERR_FOREIGN, verifyCertificateChain } from './certificate-verification.js';
import { issueBotCertificate } from './certificates.js';
import { parseIdentityCertificate, readIdentityCertificate } from './identity-certificate.js';
import { generateKeyPair } from './keys.js';
import { x509 } from './x509-provider.js';

const CLUSTER = 'example.teleport.sh';
const NOW = new Date('2025-06-01T12:00:00Z');
const subject = generateKeyPair('ecdsa-p256');

async function botCert(ca: Awaited<ReturnType<typeof createCertificateAuthority>>, instance = '3c1f4a8e-0000-4000-8000-000000000001'): Promise<Buffer> {
  return issueBotCertificate({
    ca, subjectPublicKey: subject.publicKey, clusterName: CLUSTER, botName: 'robot', botInstanceId: instance,
    generation: 3, joinToken: 'bound-token', notBefore: NOW, notAfter: new Date(NOW.getTime() + 3_600_000),
  });
}

test('the cluster\'s own CA certificate, presented as a client certificate, is no identity', async () => {
  const ca = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'ecdsa-p256', now: NOW });
  for (let i = 0; i < 2; i++) {
    const result = verifyCertificateChain({ certificateDer: ca.certificateDer, caCertificates: [ca.certificate], now: NOW });
    assert.ok(result instanceof TraceError);
    assert.equal(result.kind, 'Unauthenticated');
    assert.match(result.message, /a CA certificate is not an identity certificate/);
  }
});

test('a leaf in the trusted list signs nothing, however often it is asked', async () => {
  const ca = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'ed25519', now: NOW });
  const leaf = new x509.X509Certificate(await botCert(ca));
  const der = await botCert(ca, '3c1f4a8e-0000-4000-8000-000000000002');
  for (let i = 0; i < 2; i++) {
    const alone = verifyCertificateChain({ certificateDer: der, caCertificates: [leaf], now: NOW });
    assert.ok(alone instanceof TraceError && alone.message.startsWith(ERR_FOREIGN));
    const both = verifyCertificateChain({ certificateDer: der, caCertificates: [leaf, ca.certificate], now: NOW });
    assert.ok(!(both instanceof TraceError));
    assert.equal(both.issuer, ca.certificate);
  }
});

test('the identity read from the verified certificate is the identity parsed from its bytes', async () => {
  const ca = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'ecdsa-p256', now: NOW });
  const der = await botCert(ca);
  const result = verifyCertificateChain({ certificateDer: der, caCertificates: [ca.certificate], now: NOW });
  assert.ok(!(result instanceof TraceError));
  const read = readIdentityCertificate(result.certificate, result.subjectPublicKey);
  const parsed = parseIdentityCertificate(der);
  assert.deepEqual({ ...read, subjectPublicKey: undefined }, { ...parsed, subjectPublicKey: undefined });
  assert.ok(read.subjectPublicKey.equals(parsed.subjectPublicKey));
  assert.equal(read.generation, 3);
  assert.ok(readIdentityCertificate(result.certificate).subjectPublicKey.equals(parsed.subjectPublicKey));
});

test('certificates from two CAs, issued in turns, each name their own issuer\'s key', async () => {
  const first = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'ecdsa-p256', now: NOW });
  const second = await createCertificateAuthority({ clusterName: CLUSTER, algorithm: 'ecdsa-p256', now: NOW });
  const keyIdOf = (ca: typeof first) => ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  for (const ca of [first, second, first, second]) {
    const leaf = new x509.X509Certificate(await botCert(ca));
    assert.equal(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId, keyIdOf(ca));
    assert.ok(await leaf.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }));
  }
  assert.notEqual(keyIdOf(first), keyIdOf(second));
});
