// Hooks for scenarios that drive a bot under test (docs/bot-contract.md).
//
// Gating: a scenario tagged @needs-bot-<capability> applies only when the bot
// target declares that capability; elsewhere it is skipped and reported as
// not applicable, never failed. The server gating in hooks.ts ignores
// @needs-bot-* tags, so the two never judge the same tag. A broken target
// file fails the scenario with the loader's message (which names the field).
//
// Cleanup: after every scenario that used `world.bot`, its daemons are
// stopped (SIGTERM, then SIGKILL after 5 s) and its work directory removed.
import { After, Before, Status } from '@cucumber/cucumber';
import type { BkpWorld } from './world.js';
import { configuredBotTarget, neededBotCapabilities } from './bot-target.js';
import { describeExit } from './bot-daemon.js';
import { tail } from './bot-process.js';

Before(function (this: BkpWorld, { pickle }) {
  const needed = neededBotCapabilities(pickle.tags.map((t) => t.name));
  if (needed.length === 0) return;
  const target = configuredBotTarget();
  const missing = needed.filter((c) => !target.capabilities.has(c));
  if (missing.length === 0) return;
  this.attach(`Not applicable: bot target ${target.name} does not declare ${missing.join(', ')}`, 'text/plain');
  return 'skipped';
});

After(async function (this: BkpWorld, { result }) {
  const bot = this.peekBot();
  if (!bot) return;
  if (result?.status === Status.FAILED) {
    const runs = bot.runs.map((r) => `$ ${r.argv.join(' ')}\n→ exit ${String(r.exitCode ?? r.signal)} in ${r.durationMs} ms\nstdout: ${tail(r.stdout)}\nstderr: ${tail(r.stderr)}`);
    const daemons = bot.daemons.map((d) => `$ ${d.argv.join(' ')} (daemon, ${d.exitStatus ? describeExit(d.exitStatus) : 'running'})\n${tail(d.output())}`);
    if (runs.length + daemons.length > 0) this.attach(`Bot runs of this scenario:\n\n${[...runs, ...daemons].join('\n\n')}`, 'text/plain');
  }
  await bot.cleanup();
});
