// The long-running part of the bot (client notes §3.8):
//   - after a failed startup, retry in the background with exponential
//     backoff (base → max, half jitter) until a renewal succeeds (C-LC-3);
//   - then every renewal interval (or at once on SIGUSR1, C-LC-5) run up to
//     RENEWAL_RETRY_LIMIT attempts with jittered exponential backoff between
//     them; when all fail, log it and wait for the next interval — never
//     exit (C-LC-4).
// Every wait goes through LifecycleEvents, so SIGTERM/SIGINT end the loop
// at the next wait, and every retry waits at least base/2 (no busy loop).
// Our simplification: the next interval is counted from the end of a cycle
// (tbot's ticker counts from the start; with a 20 min interval and cycles of
// seconds the difference does not show).
import type { BotLog } from '../log.js';
import type { BotOperations } from './bot-operations.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import type { Random } from './random.js';
import type { RetryPolicy } from './retry-policy.js';
import { RENEWAL_RETRY_LIMIT, backoffDelayMs } from './retry-policy.js';
import { errorFields } from './exit-codes.js';
import { renewOnce } from './renewal.js';

export interface LoopSettings {
  renewalIntervalMs: number;
  certificateTtlMs: number;
  retry: RetryPolicy;
  random: Random;
}

/** After a failed startup: retry until one renewal succeeds. False when stopped first. */
export async function retryUntilRenewed(ops: BotOperations, log: BotLog, events: LifecycleEvents, settings: LoopSettings): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const wait = backoffDelayMs(attempt, settings.retry, settings.random);
    log.info('Unable to renew bot identity on startup. Waiting to retry', { wait_ms: wait, attempt });
    // A reload cuts the wait short (tbot would act on it right after this loop).
    if ((await events.wait(wait, true)) === 'stop') return false;
    try {
      await renewOnce(ops, log);
      return true;
    } catch (err) {
      log.warn('Failed to renew bot identity', { attempt, ...errorFields(err) });
    }
  }
}

/** Renews every interval until stopped. */
export async function runRenewalLoop(ops: BotOperations, log: BotLog, events: LifecycleEvents, settings: LoopSettings): Promise<void> {
  log.info('Beginning bot identity renewal loop', { ttl_ms: settings.certificateTtlMs, interval_ms: settings.renewalIntervalMs });
  for (;;) {
    const woke = await events.wait(settings.renewalIntervalMs, true);
    if (woke === 'stop') return;
    if (!(await renewalCycle(ops, log, events, settings))) return;
  }
}

/** One interval's attempts. False when stopped during a backoff. */
export async function renewalCycle(ops: BotOperations, log: BotLog, events: LifecycleEvents, settings: LoopSettings): Promise<boolean> {
  for (let attempt = 1; attempt <= RENEWAL_RETRY_LIMIT; attempt++) {
    log.debug('Attempting bot identity renewal', { attempt, retry_limit: RENEWAL_RETRY_LIMIT });
    try {
      await renewOnce(ops, log);
      return true;
    } catch (err) {
      if (attempt === RENEWAL_RETRY_LIMIT) {
        log.warn('Bot identity renewal failed', { attempt, retry_limit: RENEWAL_RETRY_LIMIT, ...errorFields(err) });
        break;
      }
      const backoff = backoffDelayMs(attempt, settings.retry, settings.random);
      log.warn('Bot identity renewal failed. Backing off and retrying', { attempt, retry_limit: RENEWAL_RETRY_LIMIT, backoff_ms: backoff, ...errorFields(err) });
      if ((await events.wait(backoff, false)) === 'stop') return false;
    }
  }
  log.warn('All retry attempts exhausted. Will wait for next interval', { retry_limit: RENEWAL_RETRY_LIMIT });
  return true;
}
