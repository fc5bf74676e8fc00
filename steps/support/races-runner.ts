// Races (the RACE area): several bot clients join through one token at the
// same moment, and what each of them got.
//
// The interleaving point is the ceremony runner's beforeAnswer hook: when a
// racer's first challenge arrives, the server has read the token for it and
// committed nothing yet. Every racer waits there, at a barrier, until all
// racers hold their challenge; then all answer at once, so their commits
// race. Deterministic, no sleeps: every racer read the same token.
//
// A server that does not let a second join through a token start before
// the first has finished would keep the barrier from ever filling; the
// barrier then gives up after a while, lets the racers go, and the race
// reports that it was not a race.
import { After, Status } from '@cucumber/cucumber';
import type { BkpWorld, BotClient } from './world.js';
import type { JoinOutcome, JoinPlan } from './ceremony.js';
import { runJoin } from './ceremony.js';
import type { JoinTarget } from './join-connection.js';
import { newKey } from './keys.js';
import type { Snapshot } from './snapshot.js';
import { takeSnapshot } from './snapshot.js';
import { rememberResult } from './bot-memory.js';
import { secondServer } from './races-second-server.js';

export type ServerChoice = 'first' | 'second';
/** recover: no certificate; renew: the client's certificate; register: a registration secret, no certificate. */
export type RacerMove = 'recover' | 'renew' | 'register';

/** Holds racers until all have arrived (or withdrawn), then lets them all go at once. */
export class RaceBarrier {
  private arrived = 0;
  private withdrawn = 0;
  private released = false;
  private readonly waiting: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** True when the barrier gave up waiting: not every racer reached it in time. */
  timedOut = false;

  constructor(
    readonly parties: number,
    private readonly timeoutMs = 10_000,
  ) {}

  get arrivals(): number {
    return this.arrived;
  }

  arrive(): Promise<void> {
    this.arrived++;
    if (this.released) return Promise.resolve();
    const wait = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.timer ??= setTimeout(() => {
      this.timedOut = true;
      this.release();
    }, this.timeoutMs);
    this.check();
    return wait;
  }

  /** A racer whose join ended before it reached the barrier. */
  withdraw(): void {
    this.withdrawn++;
    this.check();
  }

  private check(): void {
    if (this.arrived + this.withdrawn >= this.parties) this.release();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearTimeout(this.timer);
    for (const go of this.waiting.splice(0)) go();
  }
}

export interface RacerRun {
  racer: string;
  server: ServerChoice;
  /** Every attempt, in order; the last one is the racer's outcome. */
  attempts: JoinOutcome[];
  reachedBarrier: boolean;
}

export interface Race {
  token: string;
  move: RacerMove;
  /** The server's state before the race. */
  before: Snapshot;
  barrier: RaceBarrier;
  runs: RacerRun[];
}

const races = new WeakMap<BkpWorld, Race>();

export function lastRace(world: BkpWorld): Race {
  const race = races.get(world);
  if (!race) throw new Error('no race has been run in this scenario yet');
  return race;
}

export function finalOutcome(run: RacerRun): JoinOutcome {
  const last = run.attempts.at(-1);
  if (!last) throw new Error(`${run.racer} made no attempt`);
  return last;
}

export function winners(race: Race): RacerRun[] {
  return race.runs.filter((r) => finalOutcome(r).ok);
}

export function losers(race: Race): RacerRun[] {
  return race.runs.filter((r) => !finalOutcome(r).ok);
}

export function theWinner(race: Race): RacerRun {
  const won = winners(race);
  if (won.length !== 1) throw new Error(`expected exactly one winning racer, got ${won.length}: ${describeRace(race)}`);
  return won[0] as RacerRun;
}

export function describeRace(race: Race): string {
  const lines = race.runs.map((r) => {
    const attempts = r.attempts.map((o) => (o.ok ? 'OK' : `${o.end.codeName}: ${o.end.details}${o.clientError ? ` (client: ${o.clientError})` : ''}`));
    return `  ${r.racer} via the ${r.server} server: ${attempts.join(' | ')}`;
  });
  const barrier = `barrier: ${race.barrier.arrivals} of ${race.barrier.parties} racers held a challenge${race.barrier.timedOut ? ' (gave up waiting for the rest)' : ''}`;
  return `\n${barrier}\n${lines.join('\n')}`;
}

export function targetOf(world: BkpWorld, server: ServerChoice): JoinTarget {
  return server === 'first' ? world.join : secondServer(world).join;
}

export interface RacerJoin {
  tokenName: string;
  move: RacerMove;
  server: ServerChoice;
  secret?: string;
  beforeAnswer?: JoinPlan['beforeAnswer'];
  respond?: JoinPlan['respond'];
}

/**
 * One join of a racer (or of any client, through either server): the client
 * sends its latest join state and, for a renewal, its certificate; it keeps
 * what a bot keeps from a success. A registering client also keeps the key
 * it offered when it loses, as a bot that generated its key would.
 */
export async function clientJoin(world: BkpWorld, clientName: string, join: RacerJoin): Promise<JoinOutcome> {
  const client = world.client(clientName);
  const subjectKey = newKey('ecdsa-p256');
  let identity: BotClient['identity'];
  if (join.move === 'renew') {
    identity = client.identity;
    if (!identity) throw new Error(`${clientName} holds no certificate to renew with`);
  }
  const plan: JoinPlan = {
    tokenName: join.tokenName,
    keys: client.keys,
    subjectKey,
    ...(client.joinState ? { joinState: client.joinState } : {}),
    ...(identity ? { identity } : {}),
    ...(join.secret !== undefined ? { secret: join.secret } : {}),
    ...(join.beforeAnswer ? { beforeAnswer: join.beforeAnswer } : {}),
    ...(join.respond ? { respond: join.respond } : {}),
  };
  const outcome = await runJoin(targetOf(world, join.server), plan);
  if (outcome.ok) rememberResult(client, outcome, subjectKey);
  else if (join.move === 'register' && outcome.offeredKeys.length > 0) client.keys = [...outcome.offeredKeys, ...client.keys];
  return outcome;
}

export interface RaceOptions {
  token: string;
  move: RacerMove;
  racers: { name: string; server: ServerChoice }[];
  secret?: string;
  /** Retry after `please try again` until success, at most this many attempts per racer. */
  retryUpTo?: number;
}

/** Runs the racers to the barrier, lets them go together, and records every outcome. */
export async function runRace(world: BkpWorld, options: RaceOptions): Promise<Race> {
  const before = await takeSnapshot(world.control);
  const barrier = new RaceBarrier(options.racers.length);
  const race: Race = {
    token: options.token,
    move: options.move,
    before,
    barrier,
    runs: options.racers.map((r) => ({ racer: r.name, server: r.server, attempts: [], reachedBarrier: false })),
  };
  races.set(world, race);
  world.before = before;
  world.lastOutcome = undefined;
  world.lastClient = undefined;

  const settled = await Promise.allSettled(race.runs.map(async (run) => {
    const base = { tokenName: options.token, move: options.move, server: run.server, ...(options.secret !== undefined ? { secret: options.secret } : {}) };
    try {
      run.attempts.push(await clientJoin(world, run.racer, {
        ...base,
        beforeAnswer: async (index) => {
          if (index !== 0 || run.reachedBarrier) return;
          run.reachedBarrier = true;
          await barrier.arrive();
        },
      }));
    } finally {
      if (!run.reachedBarrier) barrier.withdraw();
    }
    const limit = options.retryUpTo ?? 1;
    while (run.attempts.length < limit) {
      const last = finalOutcome(run);
      if (last.ok || !last.end.details.includes('please try again')) break;
      run.attempts.push(await clientJoin(world, run.racer, base));
    }
  }));
  const crashed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (crashed.length > 0) {
    throw new Error(`the race could not be run: ${crashed.map((c) => (c.reason instanceof Error ? c.reason.message : String(c.reason))).join('; ')}${describeRace(race)}`);
  }
  if (barrier.timedOut) {
    throw new Error(`not a race: only ${barrier.arrivals} of ${barrier.parties} racers received a challenge while the others waited; the server seems to let only one join through token "${options.token}" at a time${describeRace(race)}`);
  }
  return race;
}

After(function (this: BkpWorld, { result }) {
  const race = races.get(this);
  if (race && result?.status === Status.FAILED) this.attach(`The last race through token "${race.token}" (${race.move}):${describeRace(race)}`, 'text/plain');
});
