import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLog } from '../log.js';
import { STATIC_KEY_ENV, resolveStaticKeySource } from './static-key-source.js';

test('no static key anywhere', () => {
  assert.equal(resolveStaticKeySource({ env: {}, log: memoryLog() }), undefined);
  assert.equal(resolveStaticKeySource({ path: '', env: { [STATIC_KEY_ENV]: '' }, log: memoryLog() }), undefined);
});

test('the environment variable alone', () => {
  assert.deepEqual(resolveStaticKeySource({ env: { [STATIC_KEY_ENV]: 'QUJD' }, log: memoryLog() }), { envValue: 'QUJD' });
});

test('a path alone', () => {
  assert.deepEqual(resolveStaticKeySource({ path: '/k', env: {}, log: memoryLog() }), { path: '/k' });
});

test('the path wins over the environment variable, as in tbot', () => {
  const log = memoryLog();
  assert.deepEqual(resolveStaticKeySource({ path: '/k', env: { [STATIC_KEY_ENV]: 'QUJD' }, log }), { path: '/k' });
  assert.ok(log.lines.some((l) => l.startsWith('DEBUG') && l.includes('the path is used')));
});
