// A bot started in the background (the target's start_daemon): watch its
// output, signal it, stop it. Shares spawning, process groups and bounded
// output with the one-shot runner (bot-process.ts).
import type { ChildProcess } from 'node:child_process';
import { BotProcessError, Output, reap, shown, signalGroup, spawnBot, tail } from './bot-process.js';
import type { ProcessSpec } from './bot-process.js';
import { ChangeWaiter } from './change-waiter.js';

export interface DaemonExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** A bot started in the background. Output is stdout and stderr interleaved as received. */
export class BotDaemon {
  readonly label: string;
  readonly argv: string[];
  readonly exited: Promise<DaemonExit>;
  private readonly child: ChildProcess;
  private readonly out = new Output();
  private readonly stdoutText = new Output();
  private readonly stderrText = new Output();
  /** Offset into the whole output (dropped text included) where the next waitForOutput starts. */
  private cursor = 0;
  private exit: DaemonExit | undefined;
  private readonly changes = new ChangeWaiter();
  private readonly lifetime: NodeJS.Timeout;
  private killedByKiller = false;

  /**
   * `reloader` is how reload() makes the bot renew now (default: SIGUSR1 to
   * the bot). `killer`, when given, is how a SIGKILL reaches the bot: for a
   * bot in a container the child is only the `docker run` client, and
   * killing it would leave the container running (bot.operations.kill).
   */
  constructor(
    private readonly spec: ProcessSpec,
    private readonly reloader: (d: BotDaemon) => Promise<void> = async (d) => d.signal('SIGUSR1'),
    private readonly killer?: (d: BotDaemon) => Promise<void>,
  ) {
    this.label = spec.label;
    this.argv = spec.shownArgv ?? spec.argv;
    this.child = spawnBot(spec);
    const feed = (sink: Output) => (c: string) => {
      sink.append(c);
      this.out.append(c);
      this.changes.notify();
    };
    this.child.stdout?.setEncoding('utf8').on('data', feed(this.stdoutText));
    this.child.stderr?.setEncoding('utf8').on('data', feed(this.stderrText));
    this.lifetime = setTimeout(() => void this.kill('SIGKILL'), spec.timeoutMs);
    this.lifetime.unref();
    this.exited = new Promise((resolve) => {
      const done = (reported: DaemonExit) => {
        if (this.exit) return;
        // A client that relays its bot's exit (docker run) reports a SIGKILL as 128 + 9.
        const exit: DaemonExit = this.killedByKiller && reported.exitCode === 128 + 9 ? { exitCode: null, signal: 'SIGKILL' } : reported;
        this.exit = exit;
        clearTimeout(this.lifetime);
        reap(this.child.pid);
        this.changes.notify();
        resolve(exit);
      };
      this.child.on('error', (e) => {
        this.out.append(`[suite] cannot start ${shown(spec)}: ${e.message}\n`);
        done({ exitCode: null, signal: null });
      });
      this.child.on('close', (exitCode, signal) => done({ exitCode, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The exit, once the process has ended. */
  get exitStatus(): DaemonExit | undefined {
    return this.exit;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  output(): string {
    return this.out.toString();
  }

  stdout(): string {
    return this.stdoutText.toString();
  }

  stderr(): string {
    return this.stderrText.toString();
  }

  /** Makes the next waitForOutput look only at output printed from now on. */
  skipToEnd(): void {
    this.cursor = this.out.dropped + this.out.text.length;
  }

  /**
   * Resolves with the first match of `pattern` in output the previous waits
   * have not consumed, and consumes up to the end of that match (so waiting
   * twice for the same line waits for two occurrences). Fails when the bot
   * exits first or after `timeoutMs`, quoting the latest output.
   */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    return this.changes.waitUntil<RegExpExecArray>(
      () => {
        const start = Math.max(0, this.cursor - this.out.dropped);
        const m = re.exec(this.out.text.slice(start));
        if (m) {
          this.cursor = this.out.dropped + start + m.index + m[0].length;
          return { value: m };
        }
        if (this.exit) return { error: new BotProcessError(`${this.label} exited (${describeExit(this.exit)}) before printing ${pattern}; latest output:\n${tail(this.output())}`) };
        return undefined;
      },
      timeoutMs,
      () => new BotProcessError(`${this.label} printed nothing matching ${pattern} within ${timeoutMs} ms; latest output:\n${tail(this.output()) || '(none)'}`),
    );
  }

  /** Sends a signal to the bot process itself (not its group). */
  signal(signal: NodeJS.Signals): void {
    if (this.exit || this.child.pid === undefined) throw new BotProcessError(`${this.label} is not running (${this.exit ? describeExit(this.exit) : 'never started'}); cannot send ${signal}`);
    process.kill(this.child.pid, signal);
  }

  /** Asks the bot to renew now, the way its target declares. */
  reload(): Promise<void> {
    return this.reloader(this);
  }

  /** Sends a signal to the whole group (default SIGKILL; through the killer when there is one) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<DaemonExit> {
    if (signal === 'SIGKILL' && this.killer && !this.exit) return this.killThroughKiller();
    if (this.child.pid !== undefined && !this.exit) signalGroup(this.child.pid, signal);
    return this.exited;
  }

  /** The killer ends the bot; its client process then exits by itself (given KILLER_GRACE_MS before it is killed too). */
  private async killThroughKiller(): Promise<DaemonExit> {
    this.killedByKiller = true;
    try {
      await this.killer?.(this);
    } catch (e) {
      // The bot may still run: kill what the suite can reach, at once.
      this.out.append(`[suite] kill operation failed: ${(e as Error).message}\n`);
      if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    }
    const timer = setTimeout(() => {
      if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    }, KILLER_GRACE_MS);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM, then SIGKILL to the group if the bot is still running after `graceMs`. */
  async stop(graceMs = 5000): Promise<DaemonExit> {
    if (this.exit) return this.exit;
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGTERM');
    const timer = setTimeout(() => void this.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

const KILLER_GRACE_MS = 10_000;

export function describeExit(exit: DaemonExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${String(exit.exitCode)}`;
}
