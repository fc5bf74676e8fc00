// The find client's trust options against a real local HTTPS server whose
// certificate comes from a private CA: refused by default, accepted with the
// CA (--ca-path) or with --insecure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  certificateDerToPem, createCertificateAuthority, encodePrivateKeyPem, generateKeyPair, issueServerCertificate,
} from '../../crypto/index.js';
import { findProxy } from './find.js';

let server: Server;
let address = '';
let caPem = '';

before(async () => {
  const now = new Date();
  const ca = await createCertificateAuthority({ clusterName: 'find.test', algorithm: 'ecdsa-p256', now });
  const key = generateKeyPair('ecdsa-p256');
  const der = await issueServerCertificate({
    ca, subjectPublicKey: key.publicKey, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'],
    notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 3_600_000),
  });
  caPem = ca.certificatePem;
  server = createServer({ key: encodePrivateKeyPem(key.privateKey), cert: certificateDerToPem(der) }, (req, res) => {
    if (req.url !== '/webapi/find') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ auth: { signature_algorithm_suite: 3 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('an untrusted certificate is refused', async () => {
  await assert.rejects(findProxy(address), (err: Error) => /could not be reached: .*(certificate|UNABLE_TO)/i.test(err.message));
});

test('the CA given with --ca-path is trusted', async () => {
  assert.deepEqual(await findProxy(address, { caPems: [caPem] }), { signatureAlgorithmSuite: 'fips-v1' });
});

test('--insecure skips verification', async () => {
  assert.deepEqual(await findProxy(address, { insecure: true }), { signatureAlgorithmSuite: 'fips-v1' });
});
