// How soon a refusal for being over a per-address cap is sent. Refusing is
// not free (a gRPC call is set up and torn down, ~0.1–0.3 ms of the single
// event loop), so a client that retries refused streams as fast as it can
// would take the server's time from everyone else just by being refused.
// The first refusals of an address in a second are sent at once; past
// `burst` in that second, each is held back for `delayMs`, which slows a
// client that waits for its answer before trying again to one attempt per
// `delayMs`, and costs the server one timer per held refusal.

export class RefusalPacing {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly burst: number,
    private readonly delayMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before sending this refusal to `address` (0: at once). */
  delayFor(address: string): number {
    const now = this.now();
    let w = this.windows.get(address);
    if (!w || now - w.start >= 1_000) {
      w = { start: now, count: 0 };
      this.windows.set(address, w);
      this.forgetOld(now);
    }
    w.count++;
    return w.count > this.burst ? this.delayMs : 0;
  }

  /** Windows of addresses that stopped being refused are dropped now and then, so the map stays small. */
  private forgetOld(now: number): void {
    if (this.windows.size < 1_024) return;
    for (const [address, w] of this.windows) if (now - w.start >= 1_000) this.windows.delete(address);
  }
}
