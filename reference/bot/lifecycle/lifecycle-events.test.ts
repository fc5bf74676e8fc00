import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifecycleEvents } from './lifecycle-events.js';
import { installSignalHandlers } from './signals.js';
import { memoryLog } from '../log.js';

test('a real wait elapses', async () => {
  const events = new LifecycleEvents();
  const started = Date.now();
  assert.equal(await events.wait(30, true), 'elapsed');
  assert.ok(Date.now() - started >= 25);
});

test('a stop ends any wait at once, and every later wait', async () => {
  const events = new LifecycleEvents();
  const waiting = events.wait(60_000, false);
  events.stop();
  assert.equal(await waiting, 'stop');
  assert.equal(await events.wait(60_000, true), 'stop');
  assert.ok(events.stopped);
});

test('a reload ends a wait that accepts it', async () => {
  const events = new LifecycleEvents();
  const waiting = events.wait(60_000, true);
  events.reload();
  assert.equal(await waiting, 'reload');
});

test('a reload during a wait that does not accept it is kept for the next one', async () => {
  const events = new LifecycleEvents();
  const backoff = events.wait(40, false);
  events.reload();
  assert.equal(await backoff, 'elapsed');
  assert.equal(await events.wait(60_000, true), 'reload');
  const again = events.wait(20, true);
  assert.equal(await again, 'elapsed', 'the kept reload is consumed once');
});

test('SIGUSR1 reloads; SIGTERM and SIGINT stop; the handlers can be removed', async () => {
  const events = new LifecycleEvents();
  const log = memoryLog();
  const uninstall = installSignalHandlers(events, log);
  try {
    const waiting = events.wait(60_000, true);
    process.emit('SIGUSR1', 'SIGUSR1');
    assert.equal(await waiting, 'reload');
    const stopping = events.wait(60_000, false);
    process.emit('SIGTERM', 'SIGTERM');
    assert.equal(await stopping, 'stop');
    assert.ok(log.lines.some((l) => l.includes('signal=SIGTERM')));
  } finally {
    uninstall();
  }
  assert.equal(process.listenerCount('SIGUSR1'), 0);
});
