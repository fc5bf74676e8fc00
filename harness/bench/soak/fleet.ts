// The soak's fleet: bots that keep joining like reference bots in daemon
// mode. A bot holding a certificate still valid on the server's (virtual)
// clock renews with it over mutual TLS; one whose certificate expired
// recovers with its bound key and join state (the token is in relaxed mode,
// so the recovery limit never stops it). A bot that renews keeps its
// certificate fresh however fast the clock runs, so now and then a bot goes
// offline after a join until its certificate has expired on the server's
// clock, as a machine that was switched off does; it then recovers. The
// clock moves on between joins only (clock-gate.ts).
import { generateKeyPair } from '../../../reference/crypto/index.js';
import { BenchBot } from '../join-client.js';
import type { Endpoint } from '../operations.js';
import { createToken, inParallel } from '../control-calls.js';
import type { ClockGate } from './clock-gate.js';

export interface FleetCounts {
  onboardings: number;
  renewals: number;
  recoveries: number;
  /** Anything else that failed, by message: a soak expects none. */
  failures: Record<string, number>;
}

export interface Fleet {
  counts: FleetCounts;
  /** Runs every bot until `stopped()` says so; resolves when the last join has ended. */
  run(stopped: () => boolean, serverNow: () => Date, gate: ClockGate): Promise<void>;
}

export async function prepareFleet(endpoint: Endpoint, size: number, paceMs: number, offlineShare: number): Promise<Fleet> {
  const bots = Array.from({ length: size }, (_, i) => new BenchBot(`soak-bot-${i}`, generateKeyPair('ed25519').privateKey));
  await inParallel(bots, 8, (bot) => createToken(endpoint, { name: bot.token, initialKey: bot.keys[0], recovery: { mode: 'relaxed', limit: 1 } }));
  const counts: FleetCounts = { onboardings: 0, renewals: 0, recoveries: 0, failures: {} };
  const fail = (what: string) => (counts.failures[what] = (counts.failures[what] ?? 0) + 1);

  const live = async (bot: BenchBot, stopped: () => boolean, serverNow: () => Date, gate: ClockGate) => {
    while (!stopped()) {
      await gate.enter();
      const notAfter = bot.identityNotAfter();
      const renewing = notAfter !== undefined && notAfter.getTime() > serverNow().getTime();
      if (!renewing) bot.dropIdentity();
      const first = bot.joinState === undefined;
      try {
        const outcome = await bot.join(endpoint, { withIdentity: renewing });
        if (outcome.code === 'OK') {
          if (renewing) counts.renewals++;
          else if (first) counts.onboardings++;
          else counts.recoveries++;
        } else {
          fail(`${renewing ? 'renewal' : first ? 'onboarding' : 'recovery'}: ${outcome.code}: ${outcome.details}`);
        }
      } catch (err) {
        fail(`${renewing ? 'renewal' : first ? 'onboarding' : 'recovery'}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        gate.leave();
      }
      await pause(paceMs);
      if (Math.random() < offlineShare) {
        const until = bot.identityNotAfter();
        while (!stopped() && until !== undefined && serverNow().getTime() <= until.getTime()) await pause(paceMs);
      }
    }
  };
  return {
    counts,
    run: async (stopped, serverNow, gate) => {
      await Promise.all(bots.map((bot) => live(bot, stopped, serverNow, gate)));
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
