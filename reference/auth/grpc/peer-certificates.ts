// grpc-js hands a handler the client certificate only when Node's TLS layer
// verified it at real wall-clock time. The reference server must judge
// certificates against its own (possibly virtual) clock, so it terminates
// TLS itself, remembers what each connection presented, and lets the handler
// look it up by the peer address grpc-js reports.
import type { TLSSocket, PeerCertificate, DetailedPeerCertificate } from 'node:tls';

export class PeerCertificates {
  private readonly byPeer = new Map<string, Buffer[]>();

  remember(socket: TLSSocket): void {
    const key = peerKey(socket.remoteAddress, socket.remotePort);
    this.byPeer.set(key, chainOf(socket.getPeerCertificate(true)));
    socket.once('close', () => this.byPeer.delete(key));
  }

  lookup(grpcPeer: string): Buffer[] {
    return this.byPeer.get(normalisePeer(grpcPeer)) ?? [];
  }

  get size(): number {
    return this.byPeer.size;
  }
}

function chainOf(cert: PeerCertificate | DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = cert as DetailedPeerCertificate;
  // Node links the chain through issuerCertificate and makes a self-signed
  // root point at itself; stop at a repeat.
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    current = current.issuerCertificate;
  }
  return chain;
}

function peerKey(address: string | undefined, port: number | undefined): string {
  return normalisePeer(`${address ?? ''}:${port ?? ''}`);
}

/** "[::1]:5000", "::1:5000" and "::ffff:127.0.0.1:5000" all become one key per address family. */
export function normalisePeer(peer: string): string {
  const bracketed = /^\[(.*)\]:(\d+)$/.exec(peer);
  let host: string;
  let port: string;
  if (bracketed) {
    host = bracketed[1] ?? '';
    port = bracketed[2] ?? '';
  } else {
    const i = peer.lastIndexOf(':');
    host = peer.slice(0, i);
    port = peer.slice(i + 1);
  }
  if (host.startsWith('::ffff:')) host = host.slice('::ffff:'.length);
  return `${host}:${port}`;
}

/** The IP address of a grpc-js peer ("[::1]:5000" → "::1", "127.0.0.1:5000" → "127.0.0.1"). */
export function peerHost(peer: string): string {
  const key = normalisePeer(peer);
  return key.slice(0, key.lastIndexOf(':'));
}
