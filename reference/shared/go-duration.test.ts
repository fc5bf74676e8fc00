import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_GO_DURATION_MS, parseGoDuration } from './go-duration.js';

/** Asserts a RangeError whose message matches `message`. */
function refuses(text: string, message: RegExp) {
  assert.throws(() => parseGoDuration(text), (err) => {
    assert.ok(err instanceof RangeError, `${JSON.stringify(text)}: expected a RangeError, got ${String(err)}`);
    assert.match(err.message, message, JSON.stringify(text));
    return true;
  });
}

test('parseGoDuration reads Go duration strings', () => {
  assert.equal(parseGoDuration('90s'), 90_000);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('25h'), 90_000_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('1.1h'), 3_960_000);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('0'), 0);
});

test('the rest of Go\'s grammar: bare fractions, trailing dots, zeros, repeated and unordered units', () => {
  assert.equal(parseGoDuration('.5s'), 500);
  assert.equal(parseGoDuration('1.s'), 1000);
  assert.equal(parseGoDuration('0s'), 0);
  assert.equal(parseGoDuration('0.000h'), 0);
  assert.equal(parseGoDuration('007ms'), 7);
  assert.equal(parseGoDuration('1s1m'), 61_000);
  assert.equal(parseGoDuration('1h1h'), 7_200_000);
  assert.equal(parseGoDuration('1h2m3s4ms'), 3_723_004);
  assert.equal(parseGoDuration('1.0005h'), 3_601_800);
});

test('malformed input is a RangeError naming the expected form', () => {
  for (const bad of ['', '5', '00', 'h', '1d', '1S', '-1s', '+1s', '1s ', ' 1s', '1 s', '1.s2', '.s', '1e3s', '1,5s', '1h-1m']) {
    refuses(bad, /^invalid Go duration: expected non-negative numbers with units ms, s, m or h/);
  }
});

test('units finer than a millisecond are refused, even in whole milliseconds', () => {
  for (const bad of ['1ns', '1000000ns', '1500us', '1000us', '1µs', '1μs', '1s1ns']) {
    refuses(bad, /unit "(ns|us|µs|μs)" is not accepted, as a duration must be a whole number of milliseconds/);
  }
});

test('a total that is not a whole number of milliseconds is refused', () => {
  for (const bad of ['1.5ms', '1.0005s', '0.1ms', '1.0000001s']) refuses(bad, /the total must be a whole number of milliseconds/);
  // Sub-nanosecond digits are truncated, as Go does, so they cannot make a total fractional.
  assert.equal(parseGoDuration('1.0000000000000000001ms'), 1);
});

test('the range is Go\'s: at most 2^63-1 ns', () => {
  assert.equal(MAX_GO_DURATION_MS, 9_223_372_036_854);
  assert.equal(parseGoDuration('9223372036854ms'), MAX_GO_DURATION_MS);
  assert.equal(parseGoDuration('2562047h'), 2_562_047 * 3_600_000);
  refuses('9223372036855ms', /longer than the largest Go duration/);
  refuses('2562048h', /longer than the largest Go duration/);
  refuses('5000000h5000000h', /longer than the largest Go duration/);
  refuses(`${'9'.repeat(100_000)}s`, /longer than the largest Go duration/);
});

test('messages do not repeat the input', () => {
  for (const bad of ['secretish', '1ns', '1.5ms', '2562048h']) {
    assert.throws(() => parseGoDuration(bad), (err: Error) => !err.message.includes(bad));
  }
});
