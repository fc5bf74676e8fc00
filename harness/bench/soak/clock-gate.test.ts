import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockGate } from './clock-gate.js';

test('a clock step waits for the joins in flight and holds new ones back until it is done', async () => {
  const gate = new ClockGate();
  const events: string[] = [];
  await gate.enter();
  events.push('join A in');
  const step = gate.step(async () => {
    events.push('clock moved');
  });
  const joinB = gate.enter().then(() => events.push('join B in'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(events, ['join A in'], 'neither the step nor a new join may start while A is in flight');
  events.push('join A out');
  gate.leave();
  await step;
  await joinB;
  assert.deepEqual(events, ['join A in', 'join A out', 'clock moved', 'join B in']);
  gate.leave();
  // With nothing in flight a step goes at once.
  await gate.step(async () => void events.push('moved again'));
  assert.equal(events.at(-1), 'moved again');
});
