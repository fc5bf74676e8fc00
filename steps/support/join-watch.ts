// Watching the joins a running bot makes through one token, as the server
// records them (GET transcripts), with the real time at which the suite
// first saw each one.
//
// Why real time: the server's transcripts carry the server's clock, which
// in these scenarios is virtual and stands still, so they cannot show how
// long a bot waited between two attempts. The watch polls from the moment
// it is started (before the bot is asked to act) until it is stopped, and
// notes when each stream first appeared. A stream exists from the moment
// the server accepts it, so its noted time lies between two polls: the
// error of one time is at most one poll period plus one request's latency.
import type { ControlClient, Transcript } from './control-client.js';
import { ChangeWaiter } from './change-waiter.js';

export interface SeenJoin {
  transcript: Transcript;
  /** Date.now() when the request that first returned this stream was sent. */
  seenAtMs: number;
}

/** Between two polls; small against the delays measured (≥ 50 ms), large enough not to load the server. */
export const POLL_MS = 20;
/** The transcript list's largest page. */
const PAGE = 500;

export class JoinWatch {
  private readonly seen = new Map<number, SeenJoin>();
  /** Every stream with an id up to this one was seen and has ended: the next poll starts after it. */
  private settledUpTo: number;
  private running = true;
  private failure: Error | undefined;
  private readonly loop: Promise<void>;
  private readonly changes = new ChangeWaiter();

  private constructor(private readonly control: ControlClient, readonly token: string, readonly afterId: number) {
    this.settledUpTo = afterId;
    this.loop = this.run();
  }

  /** Starts watching joins through `token` that begin from now on. */
  static async start(control: ControlClient, token: string): Promise<JoinWatch> {
    let newest = 0;
    for (;;) {
      const page = await control.listTranscripts({ token, after: newest, limit: PAGE });
      const last = page.at(-1);
      if (!last) break;
      newest = last.id;
      if (page.length < PAGE) break;
    }
    return new JoinWatch(control, token, newest);
  }

  /** The joins seen so far, oldest first. */
  joins(): SeenJoin[] {
    return [...this.seen.values()].sort((a, b) => a.transcript.id - b.transcript.id);
  }

  /**
   * Resolves with the joins seen once `done` holds for them; rejects after
   * `timeoutMs` with `describe()` of what was seen, or when polling failed.
   */
  until(done: (joins: SeenJoin[]) => boolean, timeoutMs: number, describe: (joins: SeenJoin[]) => string): Promise<SeenJoin[]> {
    return this.changes.waitUntil<SeenJoin[]>(
      () => {
        if (this.failure) return { error: this.failure };
        const joins = this.joins();
        return done(joins) ? { value: joins } : undefined;
      },
      timeoutMs,
      () => new Error(`after ${timeoutMs} ms: ${describe(this.joins())}`),
    );
  }

  /** Resolves with the joins seen after `quietMs` in which no new join appeared (bounded by `timeoutMs`). */
  async quietFor(quietMs: number, timeoutMs: number): Promise<SeenJoin[]> {
    const deadline = Date.now() + timeoutMs;
    let count = this.seen.size;
    let since = Date.now();
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.seen.size !== count) {
        count = this.seen.size;
        since = Date.now();
      }
      if (Date.now() - since >= quietMs) return this.joins();
      if (Date.now() >= deadline) throw new Error(`joins through token "${this.token}" kept coming for ${timeoutMs} ms (${count} so far); never ${quietMs} ms without one`);
      await sleep(POLL_MS);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const sentAt = Date.now();
      try {
        const page = await this.control.listTranscripts({ token: this.token, after: this.settledUpTo, limit: PAGE });
        for (const t of page) {
          const known = this.seen.get(t.id);
          this.seen.set(t.id, { transcript: t, seenAtMs: known?.seenAtMs ?? sentAt });
        }
        // Only a prefix of ended streams may be skipped by later polls.
        for (const t of page) {
          if (!t.end) break;
          this.settledUpTo = t.id;
        }
      } catch (err) {
        this.failure = new Error(`watching joins through token "${this.token}": ${(err as Error).message}`, { cause: err });
        this.running = false;
      }
      this.changes.notify();
      if (this.running) await sleep(POLL_MS);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
