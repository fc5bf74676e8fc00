// The fuzzer's checks are not vacuous: an accepted control request, a
// runtime error in a refusal and an unexpected store change are findings;
// an honest join and the specified stolen-keypair lock are not.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFuzzTarget } from './fixture.js';
import type { FuzzTarget } from './fixture.js';
import { ConnectionPool } from './connection-pool.js';
import { Outcomes } from './outcomes.js';
import { ProcessGuard } from './process-guard.js';
import { RUNTIME_ERROR, checkJoinCase } from './join-property.js';
import { checkControlCase } from './control-property.js';
import { isStolenKeypairLock, storeChanges } from './store-diff.js';
import type { CaseContext } from './case-context.js';

let target: FuzzTarget;
let ctx: CaseContext;
before(async () => {
  target = await startFuzzTarget();
  ctx = {
    target, guard: new ProcessGuard(), outcomes: new Outcomes(), detailedOutcomes: true,
    driver: { answerTimeoutMs: 5_000, maxMessageBytes: 64 * 1024, connections: new ConnectionPool(target.server) },
  };
});
after(async () => {
  await ctx.driver.connections.closeAll();
  await target.close();
});

test('a control request the server accepts is a finding', async () => {
  await assert.rejects(checkControlCase(ctx, { kind: 'path', method: 'GET', path: 'health' }), /answered 200, not a 4xx/);
  await checkControlCase(ctx, { kind: 'not-json', template: 0, text: '{"kind":' });
});

test('an honest join passes and the fixture is put back; a refused one leaves the store as it was', async () => {
  await checkJoinCase(ctx, { token: 0, identity: false, joinState: false, moves: Array(4).fill({ kind: 'honest' }), ending: 'half-close' });
  await checkJoinCase(ctx, { token: 0, identity: false, joinState: false, moves: Array(4).fill({ kind: 'honest' }), ending: 'half-close' });
  await checkJoinCase(ctx, { token: 5, identity: false, joinState: false, moves: [{ kind: 'honest' }], ending: 'drop' });
  const outcomes = Object.fromEntries(ctx.outcomes.entries());
  assert.equal(outcomes.joined, 2, 'fz-key joined twice: it was put back in between');
  assert.equal(outcomes['PERMISSION_DENIED: token expired or not found'], 1);
});

test('only the stolen-keypair lock of the case token is an expected change', async () => {
  const before = await target.snapshot();
  const lock = { kind: 'lock' as const, version: 'v2' as const, metadata: { name: 'l' }, spec: { target: { join_token: 'fz-bound' }, created_by: 'bound-keypair-join' } };
  const [change] = storeChanges(before, { ...before, locks: [...before.locks, lock] });
  assert.ok(change && isStolenKeypairLock(change, 'fz-bound'));
  assert.ok(!isStolenKeypairLock(change, 'fz-key'));
  const [admin] = storeChanges(before, { ...before, locks: [...before.locks, { ...lock, spec: { ...lock.spec, created_by: 'admin' } }] });
  assert.ok(admin && !isStolenKeypairLock(admin, 'fz-bound'));
});

test('runtime errors are told from refusals', () => {
  for (const bad of ['Cannot read properties of undefined (reading \'x\')', 'validating: TypeError: x is not a function', 'Invalid time value', 'expires NaN']) assert.match(bad, RUNTIME_ERROR);
  for (const fine of ['token expired or not found', 'failed to complete challenge', 'authorized_keys: unknown key type "x_undefinedness"']) assert.doesNotMatch(fine, RUNTIME_ERROR);
});
