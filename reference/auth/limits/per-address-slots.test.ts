import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerAddressSlots, clientAddressKey, tooManyFrom } from './per-address-slots.js';

test('each address gets max slots; a release gives one back, once', () => {
  const slots = new PerAddressSlots(2);
  const a1 = slots.acquire('127.0.0.1');
  const a2 = slots.acquire('::ffff:127.0.0.1');
  assert.ok(a1 && a2);
  assert.equal(slots.acquire('127.0.0.1'), undefined, 'the IPv4-mapped form is the same client');
  assert.ok(slots.acquire('127.0.0.2'), 'another address is not affected');
  a1();
  a1();
  assert.equal(slots.heldBy('127.0.0.1'), 1, 'a second release does nothing');
  assert.ok(slots.acquire('127.0.0.1'));
  assert.equal(slots.total, 3);
});

test('0 means no cap; negative or fractional caps are refused', () => {
  const slots = new PerAddressSlots(0);
  for (let i = 0; i < 1_000; i++) assert.ok(slots.acquire('::1'));
  assert.equal(slots.heldBy('::1'), 1_000);
  assert.throws(() => new PerAddressSlots(-1), RangeError);
  assert.throws(() => new PerAddressSlots(1.5), RangeError);
});

test('keys and the refusal text', () => {
  assert.equal(clientAddressKey('::FFFF:10.0.0.1'), '10.0.0.1');
  assert.equal(clientAddressKey('::ffff:abcd'), '::ffff:abcd');
  assert.equal(tooManyFrom('::ffff:10.0.0.1', 3, 3, 'open join streams'), 'too many connections from 10.0.0.1: 3, max is 3 (open join streams per client address)');
});
