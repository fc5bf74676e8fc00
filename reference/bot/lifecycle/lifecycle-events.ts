// What can interrupt the bot between renewals: a reload request (SIGUSR1:
// renew now, C-LC-5) and a stop request (SIGTERM/SIGINT). Every wait in the
// lifecycle goes through wait(), so a stop is noticed at once, and the delay
// itself comes from a Scheduler that tests replace with a fake timer.
//
// A reload that arrives while nobody waits for one (during a join, or during
// a backoff that only a stop may cut short) is kept and ends the next wait
// that does accept reloads — like tbot's buffered reload channel.

export interface Scheduler {
  /** Resolves after `ms`, or as soon as `cancel` aborts. */
  delay(ms: number, cancel: AbortSignal): Promise<void>;
}

export const realScheduler: Scheduler = {
  delay: (ms, cancel) => new Promise((resolve) => {
    if (cancel.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      cancel.removeEventListener('abort', done);
      resolve();
    }
    cancel.addEventListener('abort', done, { once: true });
  }),
};

export type WaitOutcome = 'elapsed' | 'reload' | 'stop';

export class LifecycleEvents {
  #stopped = false;
  #reloadPending = false;
  #waiters = new Set<{ acceptsReload: boolean; wake: (outcome: WaitOutcome) => void }>();

  constructor(private readonly scheduler: Scheduler = realScheduler) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    this.#stopped = true;
    for (const waiter of this.#waiters) waiter.wake('stop');
  }

  reload(): void {
    const waiter = [...this.#waiters].find((w) => w.acceptsReload);
    if (waiter) waiter.wake('reload');
    else this.#reloadPending = true;
  }

  /** Waits `ms`; a stop always ends the wait early, a reload only when `acceptsReload`. */
  async wait(ms: number, acceptsReload: boolean): Promise<WaitOutcome> {
    if (this.#stopped) return 'stop';
    if (acceptsReload && this.#reloadPending) {
      this.#reloadPending = false;
      return 'reload';
    }
    const cancel = new AbortController();
    let outcome: WaitOutcome = 'elapsed';
    const waiter = {
      acceptsReload,
      wake: (o: WaitOutcome) => {
        outcome = o;
        cancel.abort();
      },
    };
    this.#waiters.add(waiter);
    try {
      await this.scheduler.delay(ms, cancel.signal);
    } finally {
      this.#waiters.delete(waiter);
    }
    return outcome;
  }
}
