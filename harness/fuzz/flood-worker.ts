// The flooder of the flood bench, in a process of its own (an abusive client
// is another program: in the server's process its own work would slow the
// server down and blur the figure). Connects from 127.0.0.2 and opens join
// streams as fast as the server lets it, each left waiting at its challenge;
// on "stop" it reports how many streams the server refused and exits.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { RawJoinConnection, encodeJoinRequest, grpcFrame } from '../../reference/auth/grpc/testing/raw-join-client.js';
import { encodeSshWirePublicKey, generateKeyPair, spkiDer } from '../../reference/crypto/index.js';

export interface FloodOrder {
  joinAddress: string;
  caPem: string;
  localAddress: string;
  token: string;
  connections: number;
  /** Streams in the making at once on each connection. */
  parallel: number;
}

export interface FloodReport {
  opened: number;
  refused: number;
  /** CPU time the flooder itself used, in ms. */
  cpuMs: number;
}

let stopped = false;
const report: FloodReport = { opened: 0, refused: 0, cpuMs: 0 };
const conns: RawJoinConnection[] = [];

process.on('message', (msg: { start?: FloodOrder; stop?: true }) => {
  if (msg.start) void flood(msg.start);
  if (msg.stop) {
    stopped = true;
    for (const c of conns) c.destroy();
    const cpu = process.cpuUsage();
    report.cpuMs = (cpu.user + cpu.system) / 1000;
    process.send?.(report, () => process.exit(0));
  }
});

async function flood(order: FloodOrder): Promise<void> {
  const subject = generateKeyPair('ed25519').publicKey;
  // Encoded once: the flooder should spend its time on the server, not on itself.
  const frames = Buffer.concat([
    grpcFrame(encodeJoinRequest({ client_init: { join_method: 'bound_keypair', token_name: order.token, system_role: 'Bot' } })),
    grpcFrame(encodeJoinRequest({ bound_keypair_init: { client_params: { bot_params: { public_keys: { public_tls_key: spkiDer(subject), public_ssh_key: encodeSshWirePublicKey(subject) } } } } })),
  ]);
  for (let i = 0; i < order.connections; i++) {
    conns.push(await RawJoinConnection.open({ joinAddress: order.joinAddress, caPem: order.caPem, localAddress: order.localAddress }));
  }
  const loop = async (conn: RawJoinConnection) => {
    while (!stopped && conn.usable) {
      const stream = conn.stream();
      report.opened++;
      stream.write(frames);
      const first = await stream.next(30_000).catch(() => undefined);
      if (first?.kind === 'end' && first.code === GrpcStatus.RESOURCE_EXHAUSTED) report.refused++;
      // A stream the server took stays open; the loop goes straight on to the next one.
    }
  };
  process.send?.({ ready: true });
  await Promise.allSettled(conns.flatMap((c) => Array.from({ length: order.parallel }, () => loop(c))));
}
