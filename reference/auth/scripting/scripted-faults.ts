// The script in force and what it has done: how often each fault fired, which
// streams are held where, and the seeded PRNG. One instance per server, only
// in scripted mode. fault-stream.ts applies it to each join stream; the
// control API reads and replaces it.
import { randomBytes } from 'node:crypto';
import { notFound } from '../../protocol/errors.js';
import { SeededRandom } from './seeded-random.js';
import type { Fault, FaultAction, Script } from './script.js';

export interface FaultView extends Fault {
  /** On how many streams it has fired since the script was set. */
  fired: number;
  /** How many streams are paused at it right now (hold faults). */
  held: number;
}

export interface ScriptView {
  seed: string;
  faults: FaultView[];
}

/** Where a stream is, as far as faults are concerned. */
export type StreamPoint =
  | { at: 'open' }
  | { at: 'client_init'; token: string }
  | { at: 'after_client' | 'before_server'; type: string; occurrence: number; token: string | undefined };

interface FaultState {
  fault: Fault;
  fired: number;
  holds: Set<() => void>;
}

/** A fault that fired on a stream, tied to the script it came from. */
export interface FiredFault {
  fault: Fault;
  state: FaultState;
}

export const randomSeed = (): string => randomBytes(8).toString('hex');

export class ScriptedFaults {
  private seed = randomSeed();
  private random = new SeededRandom(this.seed);
  private states: FaultState[] = [];

  /** Replaces the script; streams held by the old one carry on. */
  set(script: Script): ScriptView {
    this.releaseAll();
    this.seed = script.seed;
    this.random = new SeededRandom(script.seed);
    this.states = script.faults.map((fault) => ({ fault, fired: 0, holds: new Set() }));
    return this.view();
  }

  clear(): void {
    this.set({ seed: randomSeed(), faults: [] });
  }

  view(): ScriptView {
    return {
      seed: this.seed,
      faults: this.states.map((s) => ({ ...structuredClone(s.fault), fired: s.fired, held: s.holds.size })),
    };
  }

  /** Lets every stream held at `faultId` carry on; how many there were. */
  release(faultId: string): number {
    const state = this.states.find((s) => s.fault.id === faultId);
    if (!state) throw notFound(`no fault "${faultId}" in the script`);
    const waiting = [...state.holds];
    state.holds.clear();
    for (const resume of waiting) resume();
    return waiting.length;
  }

  /**
   * The next fault that fires at this point of a stream, in script order, or
   * undefined. It is counted as fired at once (synchronously, so two streams
   * racing to the same point cannot both take a fault's last firing).
   * `firedHere` holds the faults that already fired on this stream: a fault
   * fires at most once per stream. Asking one at a time means a fault after
   * one that ends the stream is not counted as fired.
   */
  claimNext(point: StreamPoint, firedHere: ReadonlySet<string>): FiredFault | undefined {
    for (const state of this.states) {
      const { fault } = state;
      if (firedHere.has(fault.id) || !matches(fault, point)) continue;
      if (fault.times !== 0 && state.fired >= fault.times) continue;
      state.fired++;
      return { fault, state };
    }
    return undefined;
  }

  /** How long a delay fault waits; a range draws from the seeded PRNG. */
  delayMs(action: Extract<FaultAction, { kind: 'delay' }>): number {
    return 'ms' in action ? action.ms : this.random.integer(action.min_ms, action.max_ms);
  }

  /** Pauses until released, or rejects with the signal's reason (client gone, deadline, restart). */
  hold({ state }: FiredFault, signal: AbortSignal): Promise<void> {
    // A script replaced since the fault fired holds nobody: the stream carries on.
    if (!this.states.includes(state)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        state.holds.delete(resume);
        reject(signal.reason);
      };
      const resume = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      state.holds.add(resume);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaseAll(): void {
    for (const state of this.states) {
      const waiting = [...state.holds];
      state.holds.clear();
      for (const resume of waiting) resume();
    }
  }
}

function matches(fault: Fault, point: StreamPoint): boolean {
  switch (point.at) {
    case 'open':
      return fault.when === undefined && fault.token === undefined;
    case 'client_init':
      return fault.when === undefined && fault.token === point.token;
    default: {
      const w = fault.when;
      if (!w || (fault.token !== undefined && fault.token !== point.token)) return false;
      const type = point.at === 'after_client' ? ('after_client' in w ? w.after_client : undefined) : ('before_server' in w ? w.before_server : undefined);
      return type === point.type && w.occurrence === point.occurrence;
    }
  }
}
