// bkp run's options: defaults, and a configuration error naming the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRunId, runOptionsFrom, tagExpression } from './options.js';

test('defaults: the run profile, 2 workers, a random seed, defined order', () => {
  const o = runOptionsFrom({ target: 't.yaml' });
  assert.deepEqual({ ...o, seed: 'x' }, { target: 't.yaml', profile: 'run', parallel: 2, seed: 'x', seedGiven: false, order: 'defined', dryRun: false, failFast: false, reportsDir: 'reports', runId: '' });
  assert.match(o.seed, /^[0-9a-f]{8}$/);
  assert.notEqual(runOptionsFrom({ target: 't.yaml' }).seed, o.seed);
  assert.deepEqual(runOptionsFrom({ target: 't', seed: 'abc', parallel: '0', order: 'random', tags: ' @x ', failFast: true }), {
    target: 't', profile: 'run', parallel: 0, seed: 'abc', seedGiven: true, order: 'random', dryRun: false, failFast: true, tags: '@x', reportsDir: 'reports', runId: '',
  });
});

test('the run directory: named by UTC time and target unless --run-id; a bad id or an empty --reports-dir is refused', () => {
  assert.equal(defaultRunId('Reference Server (in-process)', new Date('2026-11-25T16:04:05.123Z')), '20261125T160405Z-reference-server-in-process');
  assert.deepEqual(pick(runOptionsFrom({ target: 't', runId: 'nightly-1', reportsDir: 'out' })), { runId: 'nightly-1', reportsDir: 'out' });
  assert.throws(() => runOptionsFrom({ target: 't', runId: '../escape' }), /--run-id: must be/);
  assert.throws(() => runOptionsFrom({ target: 't', reportsDir: ' ' }), /--reports-dir: is empty/);
});

function pick(o: { runId: string; reportsDir: string }) {
  return { runId: o.runId, reportsDir: o.reportsDir };
}

test('bad options name the flag', () => {
  assert.throws(() => runOptionsFrom({}), /--target: required/);
  assert.throws(() => runOptionsFrom({ target: 't', parallel: 'two' }), /--parallel: must be a whole number from 0 to 32, not "two"/);
  assert.throws(() => runOptionsFrom({ target: 't', parallel: '99' }), /--parallel/);
  assert.throws(() => runOptionsFrom({ target: 't', seed: 'a b' }), /--seed: must be 1 to 64 letters/);
  assert.throws(() => runOptionsFrom({ target: 't', order: 'reverse' }), /--order: must be defined or random/);
  assert.throws(() => runOptionsFrom({ target: 't', tags: '  ' }), /--tags: is empty/);
  assert.throws(() => runOptionsFrom({ target: 't', profile: '../x' }), /--profile/);
});

test('the role selects the scenarios; --tags narrows them', () => {
  assert.equal(tagExpression('server'), '(not @client)');
  assert.equal(tagExpression('bot', '@BKP-CLI-001 or @BKP-STO-002'), '(@client) and (@BKP-CLI-001 or @BKP-STO-002)');
});
