import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyHistoryLength, decodeKeyHistory, encodeKeyHistory, formatGoTime, prependEntry } from './key-history.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';

test('times are written as Go marshals time.Time (RFC3339Nano, UTC, trailing zeros trimmed)', () => {
  assert.equal(formatGoTime(new Date('2026-11-25T12:00:00.123Z')), '2026-11-25T12:00:00.123Z');
  assert.equal(formatGoTime(new Date('2026-11-25T12:00:00.120Z')), '2026-11-25T12:00:00.12Z');
  assert.equal(formatGoTime(new Date('2026-11-25T12:00:00.000Z')), '2026-11-25T12:00:00Z');
  assert.throws(() => formatGoTime(new Date(NaN)), /invalid date/);
});

test('encodes tbot\'s exact JSON shape, newest first', () => {
  const json = encodeKeyHistory([{ time: '2026-11-25T12:00:00.123456789Z', privateKeyPem: PEM }]).toString();
  assert.equal(json, `{"entries":[{"time":"2026-11-25T12:00:00.123456789Z","private_key":${JSON.stringify(PEM)}}]}`);
});

test('decodes a tbot-written history: nanoseconds and offsets kept verbatim, unknown fields ignored', () => {
  const doc = {
    entries: [
      { time: '2026-11-25T12:00:00.123456789Z', private_key: PEM, extra: 1 },
      { time: '2026-11-24T13:00:00+01:00', private_key: PEM },
    ],
  };
  const entries = decodeKeyHistory(Buffer.from(JSON.stringify(doc)));
  assert.deepEqual(entries, [
    { time: '2026-11-25T12:00:00.123456789Z', privateKeyPem: PEM },
    { time: '2026-11-24T13:00:00+01:00', privateKeyPem: PEM },
  ]);
  assert.deepEqual(decodeKeyHistory(Buffer.from('{"entries":null}')), []);
  assert.deepEqual(decodeKeyHistory(Buffer.from('{}')), []);
});

test('refuses documents that are not a history, naming the problem', () => {
  const cases: [string, RegExp][] = [
    ['not json', /not valid JSON/],
    ['[]', /expected a JSON object/],
    ['{"entries":{}}', /"entries" must be an array/],
    ['{"entries":[1]}', /entry 0 is not an object/],
    [`{"entries":[{"time":"yesterday","private_key":"x"}]}`, /entry 0 has no RFC 3339 "time"/],
    [`{"entries":[{"time":"2026-11-25T12:00:00Z"}]}`, /entry 0 has no "private_key"/],
  ];
  for (const [text, error] of cases) assert.throws(() => decodeKeyHistory(Buffer.from(text)), error, text);
});

test(`history is capped at ${KeyHistoryLength} entries, on prepend and on read`, () => {
  let entries: { time: string; privateKeyPem: string }[] = [];
  for (let i = 0; i < 12; i++) entries = prependEntry(entries, { time: `2026-11-25T12:00:${String(i).padStart(2, '0')}Z`, privateKeyPem: PEM });
  assert.equal(entries.length, KeyHistoryLength);
  assert.equal(entries[0]?.time, '2026-11-25T12:00:11Z', 'newest first');
  const long = { entries: Array.from({ length: 15 }, () => ({ time: '2026-11-25T12:00:00Z', private_key: PEM })) };
  assert.equal(decodeKeyHistory(Buffer.from(JSON.stringify(long))).length, KeyHistoryLength);
});
