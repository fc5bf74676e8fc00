// Join connections shared by the fuzz cases: a TLS handshake costs more
// than a whole case, so cases open their streams on one connection per
// client identity, and only a case that drops its connection (or breaks it)
// makes the next one connect again.
import { RawJoinConnection } from '../../reference/auth/grpc/testing/raw-join-client.js';
import type { RunningAuthServer } from '../../reference/auth/auth-server.js';

export class ConnectionPool {
  private readonly open = new Map<string, Promise<RawJoinConnection>>();

  constructor(private readonly server: Pick<RunningAuthServer, 'joinAddress' | 'authorities'>) {}

  async get(identity?: { keyPem: string; certPem: string }): Promise<RawJoinConnection> {
    const key = identity?.certPem ?? '';
    const existing = this.open.get(key);
    if (existing) {
      const conn = await existing.catch(() => undefined);
      if (conn?.usable) return conn;
      this.open.delete(key);
    }
    const opening = RawJoinConnection.open({
      joinAddress: this.server.joinAddress,
      caPem: this.server.authorities.hostCa.certificatePem,
      ...(identity ? { identity } : {}),
    });
    this.open.set(key, opening);
    return opening;
  }

  /** Cuts a connection (a client that goes away); the next case connects again. */
  drop(conn: RawJoinConnection): void {
    conn.destroy();
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const p of all) (await p.catch(() => undefined))?.destroy();
  }
}
