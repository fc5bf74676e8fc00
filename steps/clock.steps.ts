// The server's clock (capability clock_control): time passing, a bot's
// certificate running out while it is offline, the clock set back before a
// certificate's start. Every area moves time with these sentences; the
// clock moves exactly as far as a sentence says, or the step fails.
import { Given } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import { advanceServerClock, certificateValidity, moveServerClockTo } from './support/clock.js';

Given('{duration} pass(es) on the server\'s clock', async function (this: BkpWorld, ms: number) {
  await advanceServerClock(this, ms);
  // A bot under test follows the server's clock through its clock file.
  await this.peekBot()?.syncClock();
});

/*
 * Moves the server clock one second past the end of the bot's certificate
 * (X.509 validity has whole seconds, so the clock stays on a whole second).
 */
Given('{string} stays offline until its certificate has expired', async function (this: BkpWorld, who: string) {
  const identity = this.client(who).identity;
  assert.ok(identity, `setting the scene: "${who}" holds no certificate`);
  const { notAfter } = certificateValidity(identity);
  const now = (await this.serverNow()).getTime();
  assert.ok(notAfter > now, `setting the scene: the certificate of "${who}" has already expired`);
  const reached = new Date((await this.control.advanceClock(notAfter - now + 1000)).now).getTime();
  assert.ok(reached > notAfter, `the server clock reads ${new Date(reached).toISOString()}, not past the certificate's ${new Date(notAfter).toISOString()}`);
});

/* Issued certificates are backdated a minute: the clock goes a second further back. */
Given("the server's clock has been set back to before the start of {string}'s certificate", async function (this: BkpWorld, who: string) {
  const identity = this.client(who).identity;
  assert.ok(identity, `"${who}" holds no certificate`);
  const { notBefore } = certificateValidity(identity);
  await moveServerClockTo(this, notBefore - 1000);
  assert.ok((await this.serverNow()).getTime() < notBefore, 'the server clock was not set back before the certificate\'s start');
});
