// The World of one scenario: a control API client, the join target, the bot
// clients the scenario created, and what the last action returned. It holds
// no reference to the implementation under test beyond its endpoints.
import { World, setWorldConstructor } from '@cucumber/cucumber';
import type { IWorldOptions } from '@cucumber/cucumber';
import type { ControlClient } from './control-client.js';
import type { Json } from './control-client.js';
import type { JoinTarget, ClientIdentity } from './join-connection.js';
import type { JoinOutcome } from './ceremony.js';
import type { KeyHolder } from './keys.js';
import type { Snapshot } from './snapshot.js';
import { BotDriver } from './bot-driver.js';
import type { BotServer } from './bot-driver.js';
import { configuredBotTarget } from './bot-target.js';

export interface BotClient {
  name: string;
  /** Active key first, then history (newest first). */
  keys: KeyHolder[];
  joinState?: Buffer;
  identity?: ClientIdentity & { certDer: Buffer };
}

export interface AdminResponse {
  status: number;
  body: Json | undefined;
}

export class BkpWorld extends World {
  control!: ControlClient;
  join!: JoinTarget;
  clusterName = '';
  suite = '';
  boundKeypairKeys: Record<string, unknown>[] = [];
  userCaPems: string[] = [];

  readonly clients = new Map<string, BotClient>();
  lastOutcome: JoinOutcome | undefined;
  lastClient: string | undefined;
  /** State before the most recent action, for "what changed" assertions. */
  before: Snapshot | undefined;
  lastAdmin: AdminResponse | undefined;
  /** Tokens before the last admin request, for "nothing changed" checks. */
  tokensBeforeAdmin: Json[] | undefined;

  private botDriver: BotDriver | undefined;

  constructor(options: IWorldOptions) {
    super(options);
  }

  /** The bot under test (BKP_BOT_TARGET), driven for this scenario; created on first use, cleaned up by bot-hooks.ts. */
  get bot(): BotDriver {
    this.botDriver ??= new BotDriver(configuredBotTarget(), () => this.botServer());
    return this.botDriver;
  }

  /** The bot driver if this scenario has used it, without creating it. */
  peekBot(): BotDriver | undefined {
    return this.botDriver;
  }

  private async botServer(): Promise<BotServer> {
    const cluster = await this.control.cluster();
    return {
      authAddr: this.join.address,
      webAddr: typeof cluster.web_address === 'string' ? cluster.web_address : undefined,
      caPem: this.join.caPem,
      now: () => this.serverNow(),
    };
  }

  client(name: string): BotClient {
    const c = this.clients.get(name);
    if (!c) throw new Error(`no bot client "${name}" in this scenario; create it first (e.g. 'Given a bot client "${name}" with an Ed25519 keypair')`);
    return c;
  }

  outcome(): JoinOutcome {
    if (!this.lastOutcome) throw new Error('no join has been attempted in this scenario yet');
    return this.lastOutcome;
  }

  async serverNow(): Promise<Date> {
    return new Date((await this.control.clock()).now);
  }

  async token(name: string): Promise<Json> {
    return this.control.getToken(name);
  }
}

setWorldConstructor(BkpWorld);

/** What a step file remembers for one scenario: created on first use, gone with the World. */
export interface ScenarioState<T> {
  (world: BkpWorld): T;
  /** The state if the scenario has used it, without creating it. */
  peek(world: BkpWorld): T | undefined;
}

export function scenarioState<T>(create: () => T): ScenarioState<T> {
  const states = new WeakMap<BkpWorld, T>();
  const get = (world: BkpWorld): T => {
    let s = states.get(world);
    if (s === undefined) {
      s = create();
      states.set(world, s);
    }
    return s;
  };
  return Object.assign(get, { peek: (world: BkpWorld) => states.get(world) });
}
