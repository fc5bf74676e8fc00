// Moving the server's clock through the control API (capability
// clock_control), checking every time that it went exactly where it was
// sent; and the validity of a certificate a bot holds, read on the client.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { BkpWorld, BotClient } from './world.js';
import { formatRfc3339 } from './values.js';

/** Moves the server clock forward by exactly `ms`. */
export async function advanceServerClock(world: BkpWorld, ms: number): Promise<void> {
  const before = (await world.serverNow()).getTime();
  const after = new Date((await world.control.advanceClock(ms)).now).getTime();
  assert.equal(after - before, ms, `the server clock moved by ${after - before} ms instead of ${ms} ms`);
}

/** Moves the server clock to an exact instant: forward with advance, backward with set. */
export async function moveServerClockTo(world: BkpWorld, targetMs: number): Promise<void> {
  const now = (await world.serverNow()).getTime();
  if (targetMs >= now) await world.control.advanceClock(targetMs - now);
  else await world.control.setClock(formatRfc3339(new Date(targetMs)));
  const reached = (await world.serverNow()).getTime();
  assert.equal(reached, targetMs, `the server clock should read ${new Date(targetMs).toISOString()}, it reads ${new Date(reached).toISOString()}`);
}

export function certificateValidity(identity: NonNullable<BotClient['identity']>): { notBefore: number; notAfter: number } {
  const cert = new X509Certificate(identity.certDer);
  return { notBefore: new Date(cert.validFrom).getTime(), notAfter: new Date(cert.validTo).getTime() };
}
