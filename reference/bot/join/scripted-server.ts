// Test support for the join client's tests only: a join service that
// misbehaves on purpose (a message out of place, a result without bound
// keypair data, …), which the reference auth server never does. Real gRPC
// over real TLS; each stream runs the given script.
import * as grpc from '@grpc/grpc-js';
import { certificateDerToPem, createCertificateAuthority, encodePrivateKeyPem, generateKeyPair, issueServerCertificate } from '../../crypto/index.js';
import { joinServiceDefinition } from '../../protocol/load.js';
import type { CertificateAuthority } from '../../crypto/index.js';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import type { ServerTrust } from './join-types.js';

export interface ScriptedStream {
  /** The next client message (undefined once the client half-closed or the stream ended). */
  recv(): Promise<JoinRequest | undefined>;
  send(message: JoinResponse): void;
  /** Ends the stream with a status (OK by default). */
  end(code?: grpc.status, details?: string): void;
  /** Every client message so far. */
  received: JoinRequest[];
}

/** `ca` signed the server's certificate; scripts issue bot certificates with it too. */
export type Script = (stream: ScriptedStream, ca: CertificateAuthority) => Promise<void>;

export interface ScriptedServer {
  address: string;
  trust: ServerTrust;
  close(): Promise<void>;
}

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const now = new Date();
  const ca = await createCertificateAuthority({ clusterName: 'scripted.example', algorithm: 'ecdsa-p256', now: new Date(now.getTime() - 60_000) });
  const key = generateKeyPair('ecdsa-p256');
  const cert = await issueServerCertificate({
    ca, subjectPublicKey: key.publicKey, commonName: 'auth.scripted.example', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'],
    notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 3_600_000),
  });
  const server = new grpc.Server();
  server.addService(joinServiceDefinition, {
    Join: (call: grpc.ServerDuplexStream<JoinRequest, JoinResponse>) => {
      const queue: (JoinRequest | undefined)[] = [];
      const waiters: ((m: JoinRequest | undefined) => void)[] = [];
      const deliver = (m: JoinRequest | undefined) => {
        const w = waiters.shift();
        if (w) w(m);
        else queue.push(m);
      };
      const stream: ScriptedStream = {
        received: [],
        recv: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve))),
        send: (m) => call.write(m),
        end: (code = grpc.status.OK, details = '') => {
          if (code === grpc.status.OK) call.end();
          else call.emit('error', { code, details });
        },
      };
      call.on('data', (m: JoinRequest) => {
        stream.received.push(m);
        deliver(m);
      });
      call.on('end', () => deliver(undefined));
      call.on('error', () => deliver(undefined));
      script(stream, ca).catch((err) => stream.end(grpc.status.INTERNAL, String(err)));
    },
  });
  const credentials = grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(encodePrivateKeyPem(key.privateKey)), cert_chain: Buffer.from(certificateDerToPem(cert)) }], false);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    trust: { caPems: [ca.certificatePem], serverName: 'localhost' },
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
