// Faults the suite's reference server plays on purpose to test a bot
// (scripted mode, feature `scripting`; docs/control-api.md). Each sentence
// adds one fault to the scenario's script (support/fault-script.ts) before
// the bot joins:
//
//   the server holds | drops <scope> through token "t" <point>
//   the server ends <scope> through token "t" with <STATUS> "text" <point>
//   the server answers <scope> through token "t" with <STATUS> "text"
//   the server is unavailable for <scope> through token "t"
//   the server delays <scope> through token "t" by N[ to M] ms <point>
//
// <scope> is "the next join", "the next N joins" or "every join"; <point> is
// "just before it sends [the 2nd] *messages.X" or "after it receives [the
// 2nd] *messages.X" with the Go type names Teleport's server prints. A point
// before *messages.BotResult is after the server's commit (the token already
// shows the join); every other point is before it.
import { Given, When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import { addFault, releaseHolds, waitForJoinsToEnd, waitUntilHeld } from './support/fault-script.js';
import { pointOf, timesOf } from './support/fault-words.js';
import { lastJoinThrough, sequence } from './support/transcripts.js';

const SCOPE = '(the next join|the next \\d+ joins|every join)';
const POINT = '(just before it sends|after it receives) (?:the (\\d+)(?:st|nd|rd|th) )?(\\*messages\\.\\w+)';
const STATUS = '([A-Z_]+) "([^"]*)"';

/* A hold pauses the stream until it is released, the bot goes away, or the stream deadline passes. */
Given(new RegExp(`^the server (holds|drops) ${SCOPE} through token "([^"]+)" ${POINT}$`), async function (this: BkpWorld, verb: string, scope: string, token: string, where: string, ordinal: string | null, type: string) {
  const kind = verb === 'holds' ? 'hold' : 'drop';
  await addFault(this, kind, { token, when: pointOf(where, ordinal, type), times: timesOf(scope), action: { kind } });
});

Given(new RegExp(`^the server ends ${SCOPE} through token "([^"]+)" with ${STATUS} ${POINT}$`), async function (this: BkpWorld, scope: string, token: string, code: string, message: string, where: string, ordinal: string | null, type: string) {
  await addFault(this, 'error', { token, when: pointOf(where, ordinal, type), times: timesOf(scope), action: { kind: 'error', code, message } });
});

/* Refused as soon as the ClientInit naming the token arrives, before ServerInit. */
Given(new RegExp(`^the server answers ${SCOPE} through token "([^"]+)" with ${STATUS}$`), async function (this: BkpWorld, scope: string, token: string, code: string, message: string) {
  await addFault(this, 'error', { token, times: timesOf(scope), action: { kind: 'error', code, message } });
});

/* UNAVAILABLE with the server's own text: `join service unavailable (scripted outage)`. */
Given(new RegExp(`^the server is unavailable for ${SCOPE} through token "([^"]+)"$`), async function (this: BkpWorld, scope: string, token: string) {
  await addFault(this, 'outage', { token, times: timesOf(scope), action: { kind: 'unavailable' } });
});

/* A fixed delay, or one drawn from the script's seeded PRNG between the two bounds. */
Given(new RegExp(`^the server delays ${SCOPE} through token "([^"]+)" by (\\d+)(?: to (\\d+))? ms ${POINT}$`), async function (this: BkpWorld, scope: string, token: string, min: string, max: string | null, where: string, ordinal: string | null, type: string) {
  const action = max === null || max === undefined ? { kind: 'delay', ms: Number(min) } : { kind: 'delay', min_ms: Number(min), max_ms: Number(max) };
  await addFault(this, 'delay', { token, when: pointOf(where, ordinal, type), times: timesOf(scope), action });
});

// ---------------------------------------------------------------- holds

/* Waits (bounded) until a join through the token is paused at one of its holds. */
When('the server is holding a join through token {string}', async function (this: BkpWorld, token: string) {
  await waitUntilHeld(this, token);
});

/* Releases the holds; then waits for every stream through the token to end, so the next sentence sees its outcome. */
When('the server lets the held join through token {string} carry on', async function (this: BkpWorld, token: string) {
  await releaseHolds(this, token);
  await waitForJoinsToEnd(this, token);
});

// ---------------------------------------------------------------- restarts

/* The join listener stops, every open stream is dropped, the store is kept (POST restart). */
When('the server restarts', async function (this: BkpWorld) {
  await this.control.restart();
});

When('the server restarts and stays down for {duration}', async function (this: BkpWorld, ms: number) {
  assert.ok(Number.isInteger(ms) && ms <= 300_000, `a restart stays down for whole milliseconds, at most 5 minutes, not ${ms} ms`);
  await this.control.restart(ms);
});

// ---------------------------------------------------------------- what fired

Then(/^the last join through token "([^"]+)" (met|did not meet) a scripted fault$/, async function (this: BkpWorld, token: string, how: string) {
  const t = await lastJoinThrough(this, token);
  assert.equal(t.faults.length > 0, how === 'met', `join stream ${t.id} met the faults [${t.faults.join(', ')}]: ${sequence(t)}`);
});
