import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCatalogue } from '../catalogue/catalogue.js';
import type { Execution } from './requirement-summary.js';
import { formatAreaTable, requirementVerdicts, summariseByArea, verdictLine } from './requirement-summary.js';

const catalogue = parseCatalogue(`version: 1
areas:
  ONB: { title: Onboarding }
  CHL: { title: Challenge ceremony }
requirements:
  - { id: BKP-ONB-001, area: ONB, level: MUST, statement: "A MUST do x.", source: s }
  - { id: BKP-ONB-002, area: ONB, level: MUST, statement: "A MUST do y.", source: s }
  - { id: BKP-ONB-003, area: ONB, level: SHOULD, statement: "A SHOULD do z.", source: s }
  - { id: BKP-CHL-001, area: CHL, level: MUST, statement: "A MUST do w.", source: s }
`);

const run = (tags: string[], status: Execution['status']): Execution => ({ name: tags.join(' '), uri: 'f.feature', tags, status });

test('a requirement passes only when every executed scenario tagged with it passed', () => {
  const verdicts = requirementVerdicts(catalogue, [
    run(['@BKP-ONB-001'], 'passed'),
    run(['@BKP-ONB-001', '@BKP-ONB-002'], 'failed'),
    run(['@BKP-ONB-003'], 'passed'),
    run(['@BKP-CHL-001'], 'skipped'),
  ]);
  assert.equal(verdicts.get('BKP-ONB-001'), 'fail');
  assert.equal(verdicts.get('BKP-ONB-002'), 'fail');
  assert.equal(verdicts.get('BKP-ONB-003'), 'pass');
  assert.equal(verdicts.get('BKP-CHL-001'), 'not applicable', 'a requirement whose only scenario was skipped does not apply to the target');
});

test('areas count scenarios and verdicts per level, and the verdict line needs every MUST passing', () => {
  const all = [run(['@BKP-ONB-001', '@BKP-ONB-002'], 'passed'), run(['@BKP-CHL-001'], 'passed')];
  const areas = summariseByArea(catalogue, all);
  assert.deepEqual(areas.map((a) => [a.area, a.scenarios.total, a.levels.MUST.pass, a.levels.SHOULD.notExecuted]), [['ONB', 1, 2, 1], ['CHL', 1, 1, 0]]);
  assert.equal(verdictLine(areas).conformant, true);
  assert.match(formatAreaTable(areas), /ONB\s+Onboarding\s+1\s+1\s+0\s+0\s+2\/2/);

  const partial = summariseByArea(catalogue, [run(['@BKP-ONB-001'], 'passed')]);
  const line = verdictLine(partial);
  assert.equal(line.conformant, false);
  assert.match(line.text, /^NO CLAIM \(partial run\): 1\/3 MUST requirements passed, 0 failed, 2 not executed/);

  const notApplicable = summariseByArea(catalogue, [run(['@BKP-ONB-001', '@BKP-ONB-002'], 'passed'), run(['@BKP-CHL-001'], 'skipped')]);
  const naLine = verdictLine(notApplicable);
  assert.equal(naLine.conformant, true, 'a MUST that does not apply to the target does not spoil conformance');
  assert.match(naLine.text, /CONFORMANT: 2\/3 MUST requirements passed, 1 not applicable to this target/);
});
