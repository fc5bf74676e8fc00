// The bot's notion of "now". Real time by default. For conformance runs
// against a server on a virtual clock, BKP_BOT_CLOCK_FILE names a file
// holding an RFC 3339 timestamp that the suite rewrites whenever it moves the
// server's clock; the bot re-reads it on every use (the same idea as
// libfaketime's timestamp file, which a foreign bot can use instead).
import { readFileSync } from 'node:fs';

export interface BotClock {
  now(): Date;
}

export const systemClock: BotClock = { now: () => new Date() };

export function fileClock(path: string): BotClock {
  return {
    now() {
      const text = readFileSync(path, 'utf8').trim();
      const t = new Date(text);
      if (Number.isNaN(t.getTime())) throw new Error(`clock file ${path} does not hold an RFC 3339 timestamp: "${text.slice(0, 40)}"`);
      return t;
    },
  };
}

export function clockFromEnvironment(env: NodeJS.ProcessEnv = process.env): BotClock {
  const file = env.BKP_BOT_CLOCK_FILE;
  return file ? fileClock(file) : systemClock;
}
