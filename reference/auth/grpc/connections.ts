// The TLS connections the join listener has accepted, by peer address, so
// that the server can cut one (a scripted "drop": the stream's own
// connection) or all of them (a simulated restart). Streams know their peer
// by the address grpc-js reports, the same key PeerCertificates uses.
import type { TLSSocket } from 'node:tls';
import { normalisePeer } from './peer-certificates.js';

export class Connections {
  private readonly byPeer = new Map<string, TLSSocket>();

  remember(socket: TLSSocket): void {
    const key = normalisePeer(`${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`);
    this.byPeer.set(key, socket);
    socket.once('close', () => {
      if (this.byPeer.get(key) === socket) this.byPeer.delete(key);
    });
  }

  /** Cuts the connection of one peer (grpc-js's `call.getPeer()` form); false when it is already gone. */
  destroy(grpcPeer: string): boolean {
    const socket = this.byPeer.get(normalisePeer(grpcPeer));
    if (!socket) return false;
    socket.destroy();
    return true;
  }

  destroyAll(): void {
    for (const socket of this.byPeer.values()) socket.destroy();
    this.byPeer.clear();
  }

  get size(): number {
    return this.byPeer.size;
  }
}
