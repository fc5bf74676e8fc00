// A client that sends faster than the join handler reads is made to wait by
// HTTP/2 flow control, instead of the server buffering whatever it sends
// until the stream deadline (MAX_UNREAD_MESSAGES in grpc-join-server.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeAuthorizedKey, generateKeyPair } from '../../crypto/index.js';
import { startAuthServer } from '../auth-server.js';
import type { RunningAuthServer } from '../auth-server.js';
import { control, createBotToken } from '../testing/control.js';
import { RawJoinConnection, encodeJoinRequest, grpcFrame } from './testing/raw-join-client.js';

let server: RunningAuthServer;
before(async () => {
  server = await startAuthServer({ scripted: true });
  await createBotToken(server, 'slow', { initial_public_key: encodeAuthorizedKey(generateKeyPair('ed25519').publicKey) });
});
after(() => server.close());

test('while the handler is busy, a flood of messages stalls at the client, not in the server', async () => {
  // The handler is held right after ClientInit, so it reads nothing more.
  await control(server, 'PUT', 'script', { faults: [{ id: 'busy', when: { after_client: '*messages.ClientInit' }, action: { kind: 'hold' } }] });
  const conn = await RawJoinConnection.open({ joinAddress: server.joinAddress, caPem: server.authorities.hostCa.certificatePem });
  try {
    const stream = conn.stream();
    stream.send({ client_init: { join_method: 'bound_keypair', token_name: 'slow', system_role: 'Bot' } });
    const frame = grpcFrame(encodeJoinRequest({ giving_up: { msg: 'x'.repeat(16_000) } }));
    const total = 200; // 3.2 MB: under node:http2's own 10 MB session memory cap at the client
    let flushed = 0;
    for (let i = 0; i < total; i++) stream.write(frame, () => flushed++);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.ok(flushed < 20, `the server took ${flushed} of ${total} frames while its handler read none`);

    // Released, the handler reads on and refuses the first wrong message.
    await control(server, 'POST', 'script/release', { fault_id: 'busy' });
    const status = await stream.ended;
    assert.match(status.details, /expected client to send message of type \*messages\.BoundKeypairInit|client gave up on join attempt/);
  } finally {
    conn.destroy();
    await control(server, 'DELETE', 'script');
  }
});
