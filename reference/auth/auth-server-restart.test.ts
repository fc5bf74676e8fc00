// A server started on a data directory (SQLite) loses nothing on restart:
// the cluster's authorities, tokens and bot instances come back, so a bot
// onboarded before the restart renews after it with the certificate and join
// state it was given — which only verify if the same CAs were reloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startAuthServer } from './auth-server.js';
import type { RunningAuthServer } from './auth-server.js';
import { runJoin } from '../../steps/support/ceremony.js';
import { newKey } from '../../steps/support/keys.js';
import type { JoinTarget } from '../../steps/support/join-connection.js';

async function control(server: RunningAuthServer, method: string, route: string, body?: unknown) {
  const res = await fetch(new URL(route, server.controlUrl), {
    method,
    headers: { authorization: `Bearer ${server.controlCredential}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
}

function target(server: RunningAuthServer): JoinTarget {
  return { address: server.joinAddress, caPem: server.authorities.hostCa.certificatePem, serverName: server.clusterName };
}

test('a restart on the same data directory keeps the cluster: a bot onboarded before renews after', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bkp-restart-'));
  const options = { store: { kind: 'sqlite' as const, dataDir }, controlCredential: 'restart-test' };
  const bot = newKey('ed25519');
  const subject = newKey('ecdsa-p256');
  try {
    const first = await startAuthServer(options);
    const created = await control(first, 'POST', 'tokens', {
      kind: 'token', version: 'v2', metadata: { name: 'robot-token' },
      spec: { roles: ['Bot'], bot_name: 'robot', join_method: 'bound_keypair', bound_keypair: { onboarding: { initial_public_key: bot.authorizedKey } } },
    });
    assert.equal(created.status, 201);
    const onboarded = await runJoin(target(first), { tokenName: 'robot-token', keys: [bot], subjectKey: subject });
    assert.ok(onboarded.ok, `onboarding: ${onboarded.end.details}`);
    const clusterBefore = (await control(first, 'GET', 'cluster')).body;
    await first.close();

    const second = await startAuthServer(options);
    try {
      assert.deepEqual((await control(second, 'GET', 'cluster')).body.bound_keypair_ca_keys, clusterBefore.bound_keypair_ca_keys);
      assert.deepEqual((await control(second, 'GET', 'cluster')).body.user_ca_certificates, clusterBefore.user_ca_certificates);
      const certDer = onboarded.result?.certificates?.tls_cert as Buffer;
      const renewed = await runJoin(target(second), {
        tokenName: 'robot-token',
        keys: [bot],
        joinState: onboarded.result?.bound_keypair_result?.join_state as Buffer,
        identity: { keyPem: subject.privateKeyPem, certPem: new X509Certificate(certDer).toString() },
      });
      assert.ok(renewed.ok, `renewal after the restart: ${renewed.end.details}`);
      const token = (await control(second, 'GET', 'tokens/robot-token')).body as { status: { bound_keypair: { recovery_count: number } } };
      assert.equal(token.status.bound_keypair.recovery_count, 1, 'the renewal consumed no recovery: it was recognised as the same bot');
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
