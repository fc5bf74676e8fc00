// Authentication from the presented client certificate, judged at the
// server's clock. The identity-less certificate signed by the cluster
// (BKP-REN-016) cannot be produced over the wire without the CA's key, so it
// is checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, issueBotCertificate, issueServerCertificate } from '../../crypto/index.js';
import { isTraceError } from '../../protocol/errors.js';
import { VirtualClock } from '../clock/clock.js';
import { MemoryStore } from '../store/memory-store.js';
import { AuditLog } from '../audit/audit-log.js';
import { createClusterAuthorities } from '../ca/cluster-authorities.js';
import { authenticate } from './authenticate.js';
import type { JoinDeps } from './join-context.js';

const now = new Date('2026-06-01T12:00:00Z');

async function setup() {
  const clock = new VirtualClock(now);
  const store = new MemoryStore();
  const authorities = await createClusterAuthorities({ clusterName: 'c.test', suite: 'balanced-v1', now, serverNames: { dnsNames: [], ipAddresses: [] } });
  const deps: JoinDeps = { store, clock, authorities, audit: new AuditLog(store, clock), certificates: { defaultTtlMs: 3_600_000, maxTtlMs: 86_400_000 }, suite: () => 'balanced-v1' };
  return { deps, clock, authorities };
}

const peer = (cert: Buffer) => ({ address: '127.0.0.1:1', certificateChain: [cert] });

test('a bot certificate of this cluster yields the bot identity; no certificate yields none', async () => {
  const { deps, authorities } = await setup();
  const der = await issueBotCertificate({
    ca: authorities.userCa, subjectPublicKey: generateKeyPair('ecdsa-p256').publicKey, clusterName: 'c.test',
    botName: 'robot', botInstanceId: 'i-1', generation: 3, joinToken: 't', notBefore: now, notAfter: new Date(now.getTime() + 3_600_000),
  });
  assert.deepEqual(authenticate(peer(der), {}, deps), { botName: 'robot', botInstanceId: 'i-1', generation: 3, joinToken: 't' });
  assert.deepEqual(authenticate({ address: 'x', certificateChain: [] }, {}, deps), {});
});

test('the same certificate is refused as expired once the server clock passes notAfter', async () => {
  const { deps, authorities, clock } = await setup();
  const der = await issueBotCertificate({
    ca: authorities.userCa, subjectPublicKey: generateKeyPair('ecdsa-p256').publicKey, clusterName: 'c.test',
    botName: 'robot', botInstanceId: 'i-1', generation: 1, joinToken: 't', notBefore: now, notAfter: new Date(now.getTime() + 3_600_000),
  });
  clock.advance(2 * 3_600_000);
  assert.throws(() => authenticate(peer(der), {}, deps), (e) => isTraceError(e, 'Unauthenticated') && e.message.includes('certificate has expired'));
});

test('a certificate the cluster signed but that carries no Teleport identity is refused as malformed (BKP-REN-016)', async () => {
  const { deps, authorities } = await setup();
  const der = await issueServerCertificate({
    ca: authorities.userCa, subjectPublicKey: generateKeyPair('ecdsa-p256').publicKey, commonName: '',
    dnsNames: ['x.test'], ipAddresses: [], notBefore: now, notAfter: new Date(now.getTime() + 3_600_000),
  });
  assert.throws(() => authenticate(peer(der), {}, deps), (e) => isTraceError(e, 'Unauthenticated') && e.message.includes('malformed certificate'));
});
