// A second copy of the bot under test, run from its own work directory —
// the thief of the stolen-keypair story, who copied the bot's storage
// directory. It is a second BotDriver on the same target and server, so it
// runs the same operations with its own {storage} and clock file; it is
// cleaned up after the scenario like the first.
import { cp } from 'node:fs/promises';
import { BotDriver } from './bot-driver.js';
import type { BotServer } from './bot-driver.js';
import { configuredBotTarget } from './bot-target.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';

const scene = scenarioState(() => ({ driver: undefined as BotDriver | undefined }));

async function serverFor(world: BkpWorld): Promise<BotServer> {
  const cluster = await world.control.cluster();
  return {
    authAddr: world.join.address,
    webAddr: typeof cluster.web_address === 'string' ? cluster.web_address : undefined,
    caPem: world.join.caPem,
    now: () => world.serverNow(),
  };
}

/** The second bot of this scenario (created on first use). */
export function secondBot(world: BkpWorld): BotDriver {
  const s = scene(world);
  s.driver ??= new BotDriver(configuredBotTarget(), () => serverFor(world));
  return s.driver;
}

/** Copies the first bot's whole storage directory (modes kept) to the second bot's, which must not exist yet. */
export async function copyStorageToSecondBot(world: BkpWorld): Promise<void> {
  const from = (await world.bot.paths()).storage;
  const to = (await secondBot(world).paths()).storage;
  await cp(from, to, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
}

export async function cleanupSecondBot(world: BkpWorld): Promise<void> {
  await scene.peek(world)?.driver?.cleanup();
}
