// Script validation: what is accepted, the defaults it fills in, and a 400
// naming the field for everything else. Also the seeded PRNG's determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceError } from '../../protocol/errors.js';
import { parseScript } from './script-validation.js';
import { SeededRandom } from './seeded-random.js';

const seed = () => 'generated-seed';
const one = (fault: Record<string, unknown>) => ({ faults: [{ id: 'f', action: { kind: 'drop' }, ...fault }] });

test('a valid script gets its defaults: a generated seed, times 1, occurrence 1', () => {
  const s = parseScript({ faults: [{ id: 'a', when: { after_client: '*messages.BoundKeypairRotationResponse' }, action: { kind: 'hold' } }] }, seed);
  assert.deepEqual(s, { seed: 'generated-seed', faults: [{ id: 'a', times: 1, when: { after_client: '*messages.BoundKeypairRotationResponse', occurrence: 1 }, action: { kind: 'hold' } }] });
  const t = parseScript({
    seed: 'fixed',
    faults: [
      { id: 'b', token: 'robot-token', when: { before_server: '*messages.BotResult', occurrence: 2 }, times: 0, action: { kind: 'error', code: 'UNAVAILABLE', message: 'try later' } },
      { id: 'c', action: { kind: 'delay', min_ms: 10, max_ms: 20 } },
      { id: 'd', action: { kind: 'delay', ms: 0 } },
      { id: 'e', token: 'robot-token', action: { kind: 'unavailable' } },
    ],
  }, seed);
  assert.equal(t.seed, 'fixed');
  assert.deepEqual(t.faults.map((f) => f.times), [0, 1, 1, 1]);
  assert.deepEqual(parseScript({ faults: [] }, seed), { seed: 'generated-seed', faults: [] });
});

const refusals: [string, unknown, string][] = [
  ['unknown top-level field', { faults: [], extra: 1 }, 'extra'],
  ['faults missing', {}, 'faults'],
  ['faults not a list', { faults: {} }, 'faults'],
  ['empty seed', { seed: '', faults: [] }, 'seed'],
  ['unknown fault field', one({ colour: 'red' }), 'faults[0].colour'],
  ['missing id', { faults: [{ action: { kind: 'drop' } }] }, 'faults[0].id'],
  ['odd id', one({ id: 'a b' }), 'faults[0].id'],
  ['duplicate id', { faults: [{ id: 'x', action: { kind: 'drop' } }, { id: 'x', action: { kind: 'hold' } }] }, 'faults[1].id'],
  ['missing action', { faults: [{ id: 'x' }] }, 'faults[0].action'],
  ['unknown kind', one({ action: { kind: 'explode' } }), 'faults[0].action.kind'],
  ['field of another kind', one({ action: { kind: 'drop', ms: 5 } }), 'faults[0].action.ms'],
  ['unknown status name', one({ action: { kind: 'error', code: 'NOPE', message: 'm' } }), 'faults[0].action.code'],
  ['status OK', one({ action: { kind: 'error', code: 'OK', message: 'm' } }), 'faults[0].action.code'],
  ['error without message', one({ action: { kind: 'error', code: 'INTERNAL' } }), 'faults[0].action.message'],
  ['delay without a time', one({ action: { kind: 'delay' } }), 'faults[0].action.min_ms'],
  ['delay with both forms', one({ action: { kind: 'delay', ms: 1, min_ms: 1, max_ms: 2 } }), 'faults[0].action.ms'],
  ['delay range upside down', one({ action: { kind: 'delay', min_ms: 5, max_ms: 1 } }), 'faults[0].action.max_ms'],
  ['delay too long', one({ action: { kind: 'delay', ms: 600_001 } }), 'faults[0].action.ms'],
  ['negative times', one({ times: -1 }), 'faults[0].times'],
  ['fractional times', one({ times: 1.5 }), 'faults[0].times'],
  ['unknown client message type', one({ when: { after_client: 'BoundKeypairInit' } }), 'faults[0].when.after_client'],
  ['server type as client type', one({ when: { after_client: '*messages.BotResult' } }), 'faults[0].when.after_client'],
  ['unknown server message type', one({ when: { before_server: '*messages.Nope' } }), 'faults[0].when.before_server'],
  ['both points', one({ when: { after_client: '*messages.ClientInit', before_server: '*messages.ServerInit' } }), 'faults[0].when'],
  ['no point', one({ when: { occurrence: 2 } }), 'faults[0].when'],
  ['occurrence 0', one({ when: { after_client: '*messages.ClientInit', occurrence: 0 } }), 'faults[0].when.occurrence'],
  ['unknown when field', one({ when: { after_client: '*messages.ClientInit', at: 1 } }), 'faults[0].when.at'],
  ['unavailable at a point', one({ when: { after_client: '*messages.ClientInit' }, action: { kind: 'unavailable' } }), 'faults[0].when'],
  ['empty token', one({ token: '' }), 'faults[0].token'],
  ['unknown tamper change', one({ when: { before_server: '*messages.BotResult' }, action: { kind: 'tamper', change: 'swap' } }), 'faults[0].action.change'],
  ['tamper without a point', one({ action: { kind: 'tamper', change: 'unexpected_message' } }), 'faults[0].when.before_server'],
  ['tamper after a client message', one({ when: { after_client: '*messages.ClientInit' }, action: { kind: 'tamper', change: 'unexpected_message' } }), 'faults[0].when.before_server'],
  ['result change before a challenge', one({ when: { before_server: '*messages.BoundKeypairChallenge' }, action: { kind: 'tamper', change: 'strip_bound_keypair_result' } }), 'faults[0].when.before_server'],
];

test('tamper: a change named, before a server message it applies to', () => {
  const s = parseScript({ faults: [{ id: 't', when: { before_server: '*messages.BotResult' }, action: { kind: 'tamper', change: 'foreign_result_public_key' } }] }, seed);
  assert.deepEqual(s.faults[0]?.action, { kind: 'tamper', change: 'foreign_result_public_key' });
});

for (const [what, body, field] of refusals) {
  test(`refused: ${what} (names ${field})`, () => {
    assert.throws(() => parseScript(body as Record<string, unknown>, seed), (err: unknown) => {
      assert.ok(err instanceof TraceError, String(err));
      assert.equal(err.kind, 'BadParameter');
      assert.equal(err.field, field, err.message);
      assert.ok(err.message.startsWith(field), err.message);
      return true;
    });
  });
}

test('the PRNG is a function of the seed alone', () => {
  const draw = (s: string) => {
    const r = new SeededRandom(s);
    return Array.from({ length: 20 }, () => r.integer(100, 200));
  };
  assert.deepEqual(draw('seed-1'), draw('seed-1'));
  assert.notDeepEqual(draw('seed-1'), draw('seed-2'));
  const values = draw('seed-1');
  assert.ok(values.every((v) => Number.isInteger(v) && v >= 100 && v <= 200));
  assert.ok(new Set(values).size > 5, 'the values spread over the range');
});
