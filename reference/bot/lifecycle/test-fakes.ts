// Fakes for the lifecycle's unit tests only: scripted bot operations and a
// timer that records every requested delay and returns at once.
import type { BotIdentity } from '../join/join-types.js';
import type { BotOperations, JoinOutcome, StoredIdentity } from './bot-operations.js';
import type { LifecycleEvents, Scheduler } from './lifecycle-events.js';

export function fakeIdentity(tlsCertPem: string, label: string): BotIdentity {
  return { keyPem: label, tlsCertPem, tlsCaPems: [], sshCert: '', sshCaKeys: [] };
}

/** What one join does: succeed with an identity, or throw. */
export type JoinStep = { ok: BotIdentity; hadJoinState?: boolean } | { fail: unknown };

export class FakeOperations implements BotOperations {
  readonly storageLabel = '/fake/storage';
  stored: StoredIdentity | undefined;
  writable = true;
  /** Identity presented at each join (undefined = unauthenticated). */
  readonly joins: (BotIdentity | undefined)[] = [];
  readonly saved: BotIdentity[] = [];

  constructor(private readonly steps: JoinStep[], stored?: StoredIdentity) {
    this.stored = stored;
  }

  async checkWritable(): Promise<void> {
    if (!this.writable) throw new Error('EACCES: permission denied');
  }

  async loadIdentity(): Promise<StoredIdentity | undefined> {
    return this.stored;
  }

  async saveIdentity(identity: BotIdentity): Promise<void> {
    this.saved.push(identity);
    this.stored = { identity, state: 'valid' };
  }

  async join(identity: BotIdentity | undefined): Promise<JoinOutcome> {
    this.joins.push(identity);
    const step = this.steps.shift();
    if (!step) throw new Error('FakeOperations: no more scripted joins');
    if ('fail' in step) throw step.fail;
    return { identity: step.ok, hadJoinState: step.hadJoinState ?? false };
  }
}

/**
 * A timer that never waits: it records each delay and then asks `script`
 * what happens during it ('elapse', or a reload / stop delivered at once).
 */
export function recordingScheduler(
  events: () => LifecycleEvents,
  script: (ms: number, index: number) => 'elapse' | 'reload' | 'stop' = () => 'elapse',
): Scheduler & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    async delay(ms) {
      delays.push(ms);
      const action = script(ms, delays.length - 1);
      if (action === 'stop') events().stop();
      if (action === 'reload') events().reload();
    },
  };
}
