import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointOf, timesOf } from './fault-words.js';

test('a scope says on how many streams a fault fires', () => {
  assert.equal(timesOf('the next join'), 1);
  assert.equal(timesOf('the next 3 joins'), 3);
  assert.equal(timesOf('every join'), 0);
  assert.throws(() => timesOf('the next 0 joins'), /at least one join/);
  assert.throws(() => timesOf('some joins'), /unknown scope "some joins"/);
});

test('a point names the direction, the message type and its occurrence', () => {
  assert.deepEqual(pointOf('after it receives', null, '*messages.BoundKeypairRotationResponse'), { after_client: '*messages.BoundKeypairRotationResponse', occurrence: 1 });
  assert.deepEqual(pointOf('just before it sends', '2', '*messages.BoundKeypairChallenge'), { before_server: '*messages.BoundKeypairChallenge', occurrence: 2 });
  assert.throws(() => pointOf('just before it sends', '0', '*messages.BotResult'), /count from 1/);
  assert.throws(() => pointOf('while it waits for', null, '*messages.BotResult'), /unknown point/);
});
