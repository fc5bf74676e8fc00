// tbot's retry schedule (client notes §3.8): exponential backoff from a base
// delay, doubled per attempt and capped, with "half jitter" — the wait is
// drawn from [d/2, d], as Teleport's retryutils.HalfJitter does. Every wait
// is therefore at least base/2: no retry path can spin.
import type { Random } from './random.js';

/** Attempts per renewal interval before giving up until the next one (botIdentityRenewalRetryLimit). */
export const RENEWAL_RETRY_LIMIT = 7;

export interface RetryPolicy {
  /** Delay before the first retry (tbot: 1 s). */
  baseMs: number;
  /** Cap of the un-jittered delay (tbot: 1 min). */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** The un-jittered delay after failed attempt `attempt` (1-based): base·2^(attempt-1), capped. */
export function backoffCeilingMs(attempt: number, policy: RetryPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  // Past 2^40 the cap has long been reached; bounding the exponent keeps the arithmetic exact.
  const factor = 2 ** Math.min(attempt - 1, 40);
  return Math.min(policy.baseMs * factor, policy.maxMs);
}

/** The jittered delay after failed attempt `attempt`: uniformly in [d/2, d]. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: Random): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
