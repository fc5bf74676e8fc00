// tbot's retry schedule as the suite judges it (client notes §3.8, C-LC-3,
// C-LC-4): after failed attempt k the bot waits a time drawn from
// [d/2, d] with d = min(base·2^(k−1), max) ("half jitter"), and one renewal
// interval allows at most 7 attempts. The bot's own implementation is not
// imported: the suite keeps its own copy of the rule it checks.

export interface RetryDelays {
  /** The first delay (tbot: 1 s). */
  baseMs: number;
  /** The cap of the un-jittered delay (tbot: 1 min). */
  maxMs: number;
}

/** tbot's own delays, for bots the scenario did not give shorter ones. */
export const TBOT_RETRY_DELAYS: RetryDelays = { baseMs: 1_000, maxMs: 60_000 };

/** Attempts per renewal interval (tbot's botIdentityRenewalRetryLimit). */
export const RENEWAL_ATTEMPTS = 7;

/** The un-jittered wait after failed attempt k (1-based). */
export function ceilingMs(k: number, delays: RetryDelays): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`attempt numbers start at 1, not ${k}`);
  return Math.min(delays.baseMs * 2 ** Math.min(k - 1, 40), delays.maxMs);
}

/** The longest a whole renewal interval of failed attempts can wait in all (the waits between its 7 attempts). */
export function longestCycleWaitMs(delays: RetryDelays): number {
  let total = 0;
  for (let k = 1; k < RENEWAL_ATTEMPTS; k++) total += ceilingMs(k, delays);
  return total;
}
