// Turns the push-style gRPC readable side into pull-style recv() calls, so a
// handler can be written as straight-line code ("send this, await that").
import { StreamClosedError } from '../join/join-stream.js';

export class MessageQueue<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (v: T) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;

  push(item: T): void {
    if (this.failure !== undefined) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve(item);
    } else {
      this.items.push(item);
    }
  }

  /** No more items will come: pending and future pulls reject with `reason`. */
  fail(reason: unknown = new StreamClosedError()): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.reject(reason);
    }
  }

  /** Items received and not yet pulled. */
  get length(): number {
    return this.items.length;
  }

  pull(): Promise<T> {
    const next = this.items.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error('concurrent recv() on one join stream'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}
