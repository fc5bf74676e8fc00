// "Wait until something I watch reaches a state": the owner calls notify()
// whenever what it watches changes (new output, a process exit, a poll), and
// each waiter re-checks its condition then, resolving, failing or waiting on.
// The bot daemon (output, exit) and the join watch (transcript polls) both
// wait this way.

/** What a check decides: keep waiting (undefined), resolve with a value, or fail. */
export type Verdict<T> = { value: T } | { error: Error } | undefined;

export class ChangeWaiter {
  private readonly listeners = new Set<() => void>();

  /** Something changed: every pending wait re-checks. */
  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves or fails as soon as `check` decides, re-checking on every notify(); fails with `onTimeout()` after `timeoutMs`. */
  waitUntil<T>(check: () => Verdict<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        const verdict = check();
        if (!verdict) return false;
        finish();
        if ('error' in verdict) reject(verdict.error);
        else resolve(verdict.value);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(onTimeout());
      }, timeoutMs);
      const listener = () => void settle();
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      if (!settle()) this.listeners.add(listener);
    });
  }
}
