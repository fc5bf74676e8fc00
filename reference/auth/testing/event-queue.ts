// What a test client's stream has received and not yet read: events are
// queued until a reader asks, and a reader waits (bounded) for the next one.
// Shared by the grpc-js test client (join-test-client.ts) and the raw HTTP/2
// client (grpc/testing/raw-join-client.ts).
export class EventQueue<T> {
  private readonly events: T[] = [];
  private waiter: ((e: T) => void) | undefined;

  push(e: T): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(e);
    else this.events.push(e);
  }

  /** The next event if one has arrived, without waiting. */
  poll(): T | undefined {
    return this.events.shift();
  }

  async next(timeoutMs: number): Promise<T> {
    const queued = this.events.shift();
    if (queued !== undefined) return queued;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (e) => {
        clearTimeout(timer);
        resolve(e);
      };
    });
  }
}
