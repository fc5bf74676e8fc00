// A whole run of `bkp bot start`: startup, then (unless --oneshot) the
// background retry and the renewal loop until SIGTERM/SIGINT. Returns the
// process's exit code; the error that decided it has been logged.
import type { BotLog } from '../log.js';
import type { BotOperations } from './bot-operations.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import type { LoopSettings } from './renewal-loop.js';
import { retryUntilRenewed, runRenewalLoop } from './renewal-loop.js';
import { startup } from './startup.js';
import { EXIT_OK, errorFields, exitCodeFor, messageOf } from './exit-codes.js';

export async function runBot(
  ops: BotOperations, log: BotLog, events: LifecycleEvents, settings: LoopSettings & { oneshot: boolean },
): Promise<number> {
  let ready: boolean;
  try {
    ready = (await startup(ops, log, { oneshot: settings.oneshot })).ready;
  } catch (err) {
    // The message already carries the cause chain; the code is the gRPC status of a refusal.
    const { code } = errorFields(err);
    log.error(messageOf(err), code === undefined ? {} : { code });
    return exitCodeFor(err);
  }
  if (settings.oneshot) {
    log.info('One-shot mode: the bot identity was renewed; exiting');
    return EXIT_OK;
  }
  if (!ready && !(await retryUntilRenewed(ops, log, events, settings))) return stopped(log);
  await runRenewalLoop(ops, log, events, settings);
  return stopped(log);
}

function stopped(log: BotLog): number {
  log.info('Bot stopped');
  return EXIT_OK;
}
