// The join service's own TLS termination (see grpc-join-server.ts for why):
// a TLS listener that asks for, but does not judge, client certificates and
// hands every secure connection to grpc-js. A factory, so that a simulated
// restart can close the listener and open a fresh one on the same port.
import tls from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface TlsListenerOptions {
  keyPem: string;
  certPem: string;
  clientCaPems: string[];
  onConnection: (socket: TLSSocket) => void;
}

export function createTlsListener(opts: TlsListenerOptions): tls.Server {
  const server = tls.createServer(
    {
      key: opts.keyPem,
      cert: opts.certPem,
      ca: opts.clientCaPems,
      requestCert: true,
      // Client certificates are judged by the join handler against the
      // server's own clock; the TLS layer must not refuse them.
      rejectUnauthorized: false,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
      handshakeTimeout: 10_000,
    },
    opts.onConnection,
  );
  server.on('tlsClientError', () => {
    // A failed handshake concerns only that client; nothing to clean up.
  });
  return server;
}

/** Listens and resolves with the port actually bound (port 0 picks a free one). */
export function listen(server: tls.Server, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting; resolves once every accepted connection has closed. */
export function stopListening(server: tls.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
