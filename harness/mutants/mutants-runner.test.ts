// The runner's own logic: options, selection, the scenarios a mutant faces,
// verdicts and scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mutant } from '../../reference/mutants/mutants.js';
import type { ScenarioOutcome } from '../run/outcomes.js';
import { MutantUsageError, parseMutantArgs, selectMutants, tagExpressionFor } from './selection.js';
import { judge, scores } from './verdict.js';
import type { MutantResult } from './verdict.js';

const SERVER: Mutant = { id: 'server-a', side: 'server', requirement: 'BKP-CHL-018', area: 'CHL', description: 'a' };
const BOT: Mutant = { id: 'bot-b', side: 'bot', requirement: 'BKP-CLI-013', area: 'CLI', description: 'b', tags: '@BKP-CLI-014 and @CRT' };

function outcome(status: ScenarioOutcome['status'], name = 's'): ScenarioOutcome {
  return { name, uri: 'features/x.feature', lines: [3], tags: [], status, ...(status === 'failed' ? { message: 'boom' } : {}) };
}

test('options: --only, --side, --list, --jobs, --timeout; anything else is a usage error', () => {
  assert.deepEqual(parseMutantArgs(['--only', 'a, b', '--side', 'bot', '--list', '--jobs', '3', '--timeout', '60']),
    { only: ['a', 'b'], side: 'bot', list: true, jobs: 3, timeoutMs: 60_000 });
  assert.throws(() => parseMutantArgs(['--side', 'both']), MutantUsageError);
  assert.throws(() => parseMutantArgs(['--jobs', '0']), MutantUsageError);
  assert.throws(() => parseMutantArgs(['--only']), MutantUsageError);
  assert.throws(() => parseMutantArgs(['--target', 'x.yaml']), MutantUsageError);
});

test('selection: by id and side, in list order; an unknown id is refused, not ignored', () => {
  assert.deepEqual(selectMutants({}, [SERVER, BOT]), [SERVER, BOT]);
  assert.deepEqual(selectMutants({ side: 'bot' }, [SERVER, BOT]), [BOT]);
  assert.deepEqual(selectMutants({ only: ['bot-b', 'server-a'] }, [SERVER, BOT]), [SERVER, BOT]);
  assert.throws(() => selectMutants({ only: ['server-nope'] }, [SERVER, BOT]), /names no listed mutant: server-nope/);
});

test('a server mutant faces the server scenarios of its requirement; a bot mutant the @client ones, plus its extra tags', () => {
  assert.equal(tagExpressionFor(SERVER), '@BKP-CHL-018 and not @client');
  assert.equal(tagExpressionFor(BOT), '(@BKP-CLI-013 or (@BKP-CLI-014 and @CRT)) and @client');
});

test('verdicts: a failed scenario kills; all passing survives; nothing run, a harness error or a crash is an ERROR', () => {
  const killed = judge({ outcomes: [outcome('passed'), outcome('failed', 'the killer'), outcome('not applicable')], harnessErrors: [] }, undefined);
  assert.deepEqual(killed, { verdict: 'KILLED', run: 2, failed: 1, killedBy: { scenario: 'the killer', where: 'features/x.feature:3', message: 'boom' } });
  assert.equal(judge({ outcomes: [outcome('passed')], harnessErrors: [] }, undefined).verdict, 'SURVIVED');
  assert.deepEqual(judge({ outcomes: [outcome('not applicable')], harnessErrors: [] }, undefined), { verdict: 'ERROR', run: 0, failed: 0, error: 'no scenario ran' });
  assert.equal(judge({ outcomes: [outcome('failed')], harnessErrors: ['a BeforeAll hook failed'] }, undefined).verdict, 'ERROR');
  assert.equal(judge({ outcomes: [outcome('failed')], harnessErrors: [] }, 'the scenarios did not finish within 300 s').verdict, 'ERROR');
  assert.deepEqual(judge(undefined, 'exited 2'), { verdict: 'ERROR', run: 0, failed: 0, error: 'exited 2' });
});

test('scores per area and overall count only KILLED', () => {
  const result = (mutant: Mutant, verdict: MutantResult['verdict']): MutantResult => ({ mutant, tags: '', verdict, run: 1, failed: 0, seconds: 1 });
  const s = scores([result(SERVER, 'KILLED'), result({ ...SERVER, id: 'server-c' }, 'SURVIVED'), result(BOT, 'ERROR')]);
  assert.deepEqual(s.overall, { killed: 1, total: 3, score: 1 / 3 });
  assert.deepEqual(s.byArea, { CHL: { killed: 1, total: 2, score: 0.5 }, CLI: { killed: 0, total: 1, score: 0 } });
});
