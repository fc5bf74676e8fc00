import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RefusalPacing } from './refusal-pacing.js';

test('the first refusals of a second go at once, later ones wait; each address and each second on its own', () => {
  let now = 10_000;
  const pacing = new RefusalPacing(3, 1_000, () => now);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => pacing.delayFor('a')), [0, 0, 0, 1_000, 1_000]);
  assert.equal(pacing.delayFor('b'), 0, 'another address has its own burst');
  now += 999;
  assert.equal(pacing.delayFor('a'), 1_000, 'still the same second');
  now += 1;
  assert.equal(pacing.delayFor('a'), 0, 'a new second, a new burst');
});
