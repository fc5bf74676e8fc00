// The jitter's random numbers. Seeded (mulberry32, a small well-known PRNG)
// so a run can be replayed: BKP_BOT_SEED fixes the seed, otherwise one is
// drawn from the OS and printed at debug level. Jitter needs spread, not
// secrecy, so a non-cryptographic generator is the right tool.
import { randomInt } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';

export const SEED_ENV = 'BKP_BOT_SEED';

/** A source of numbers in [0, 1). */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from BKP_BOT_SEED (an integer 0..2^32-1), or a fresh one. */
export function jitterSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[SEED_ENV];
  if (text === undefined || text === '') return randomInt(0, 2 ** 32 - 1);
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2 ** 32 - 1) {
    throw new ConfigError(`${SEED_ENV} must be an integer from 0 to 4294967295, got ${JSON.stringify(text.slice(0, 20))}`);
  }
  return Number(text);
}
