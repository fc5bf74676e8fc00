// The first join of a run (client notes §3.8, C-LC-1..3, C-LC-6):
//   - storage not writable → fatal (exit 3);
//   - valid identity → authenticated renewal; unusable identity → warning,
//     unauthenticated join; no identity → unauthenticated join;
//   - the join fails with no identity at all → fatal, `joining with token: …`;
//   - it fails while an identity exists → tbot keeps going with the old
//     identity (`Failed to renew bot identity. …`) and retries in the
//     background; with --oneshot any failure is fatal.
import type { BotLog } from '../log.js';
import type { BotOperations } from './bot-operations.js';
import { ContextError, errorFields } from './exit-codes.js';
import { checkWritable, joinAndSave, loadStoredIdentity } from './renewal.js';

export const PROCEED_WITH_OLD_IDENTITY = 'Failed to renew bot identity. Will attempt to proceed with the old identity, API calls may fail';

export type StartupResult = { ready: true } | { ready: false; error: unknown };

/** Runs the first join; throws when the bot cannot continue (the error decides the exit code). */
export async function startup(ops: BotOperations, log: BotLog, options: { oneshot: boolean }): Promise<StartupResult> {
  await checkWritable(ops);
  log.info('Initializing bot identity', { storage: ops.storageLabel });
  const loaded = await loadStoredIdentity(ops, log);
  try {
    await joinAndSave(ops, log, loaded);
    log.info('Identity initialized successfully');
    return { ready: true };
  } catch (err) {
    if (!loaded.stored) throw new ContextError('joining with token', err);
    if (options.oneshot) throw new ContextError('renewing bot identity', err);
    log.error(PROCEED_WITH_OLD_IDENTITY, errorFields(err));
    return { ready: false, error: err };
  }
}
