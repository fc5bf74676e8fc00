import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration } from './go-duration.js';

test('Go durations parse to milliseconds', () => {
  assert.equal(parseGoDuration('30s'), 30_000);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('1h'), 3_600_000);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('0'), 0);
});

test('text that is not a Go duration is refused, naming the field', () => {
  for (const bad of ['', '30', 's', '-1s', '1x', '1s ', '1d']) {
    assert.throws(() => parseGoDuration(bad, 'bot.operations.join_once.timeout'), /^Error: bot\.operations\.join_once\.timeout: ".*" is not a Go duration/, bad);
  }
});

test('durations are formatted in the largest exact unit and round-trip', () => {
  assert.equal(formatGoDuration(3_600_000), '1h');
  assert.equal(formatGoDuration(20 * 60_000), '20m');
  assert.equal(formatGoDuration(90_000), '90s');
  assert.equal(formatGoDuration(1500), '1500ms');
  assert.equal(formatGoDuration(0), '0s');
  for (const ms of [1, 999, 61_000, 7_200_000]) assert.equal(parseGoDuration(formatGoDuration(ms)), ms);
  assert.throws(() => formatGoDuration(1.5), /whole milliseconds/);
  assert.throws(() => formatGoDuration(-1), /non-negative/);
});
