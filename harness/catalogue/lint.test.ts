import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCatalogue } from './catalogue.js';
import type { Catalogue } from './catalogue.js';
import { parseFeatureSource } from './feature-tags.js';
import type { FeatureTagsResult } from './feature-tags.js';
import { classifyTag, formatProblem, formatReport, formatSummary, lintRequirementTags, runCatalogueLint } from './lint.js';
import type { LintProblem, LintResult, LintRule } from './lint.js';
import { catalogueYaml, fixtureDir } from './test-fixtures.js';
import type { FixtureRequirement } from './test-fixtures.js';

function catalogue(reqs: FixtureRequirement[]): Catalogue {
  return parseCatalogue(catalogueYaml(reqs), 'features/requirements.yaml');
}

function features(files: Record<string, string>): FeatureTagsResult {
  const parsed = Object.entries(files).map(([uri, src]) => parseFeatureSource(src, uri));
  return { files: parsed, pickles: parsed.flatMap((f) => f.pickles), parseErrors: [] };
}

function lint(reqs: FixtureRequirement[], files: Record<string, string>): LintResult {
  return lintRequirementTags(catalogue(reqs), features(files));
}

function only(result: LintResult, rule: LintRule): LintProblem[] {
  return result.problems.filter((p) => p.rule === rule);
}

const scenario = (tags: string, name = 's'): string => `${tags ? `  ${tags}\n` : ''}  Scenario: ${name}\n    Given x\n`;
const feature = (body: string, tags = ''): string => `${tags ? `${tags}\n` : ''}Feature: f\n\n${body}`;

describe('classifyTag', () => {
  it('separates ids, malformed ids and other tags', () => {
    assert.deepEqual(classifyTag('@BKP-ONB-001'), { kind: 'id', id: 'BKP-ONB-001' });
    assert.deepEqual(classifyTag('@BKP-RACE-012'), { kind: 'id', id: 'BKP-RACE-012' });
    for (const bad of ['@BKP-ONB-1', '@BKP-ONB-0001', '@bkp-onb-001', '@BKP-onb-001', '@BKP-O-001', '@BKP-ONB', '@BKP-']) {
      assert.equal(classifyTag(bad).kind, 'malformed', bad);
    }
    for (const other of ['@wip', '@slow', '@BK-ONB-001', '@req-BKP-ONB-001']) assert.equal(classifyTag(other).kind, 'other', other);
  });
});

describe('rule 1: every pickle has a requirement id of its own', () => {
  const reqs: FixtureRequirement[] = [{ id: 'BKP-ONB-001' }, { id: 'BKP-ONB-002' }];

  it('passes when each scenario carries an id', () => {
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-001') + scenario('@BKP-ONB-002 @wip')) });
    assert.deepEqual(res.problems, []);
    assert.equal(res.ok, true);
  });

  it('fails for a scenario tagged only through its Feature, and says why', () => {
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-002') + scenario('', 'bare'), '@BKP-ONB-001') });
    const missing = only(res, 'missing-own-id');
    assert.equal(missing.length, 1);
    assert.equal(formatProblem(missing[0] as LintProblem),
      'a.feature:7: error [missing-own-id] Scenario "bare" has no requirement id tag of its own (tags inherited from the Feature or a Rule do not count)');
    assert.equal(res.ok, false);
  });

  it('fails for a scenario tagged only through its Rule', () => {
    const src = 'Feature: f\n\n  @BKP-ONB-001\n  Rule: r\n\n    Scenario: in rule\n      Given x\n\n    @BKP-ONB-002\n    Scenario: tagged\n      Given x\n';
    const res = lint(reqs, { 'r.feature': src });
    assert.deepEqual(only(res, 'missing-own-id').map((p) => p.line), [6]);
  });

  it('fails for a scenario whose only tags are not ids', () => {
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-001') + scenario('@wip @slow', 'x')) });
    assert.deepEqual(only(res, 'missing-own-id').map((p) => p.line), [7]);
  });

  it('accepts an outline tagged on the Scenario Outline or on the Examples block', () => {
    const src = feature(
      '  @BKP-ONB-001\n  Scenario Outline: o <v>\n    Given <v>\n\n    Examples:\n      | v |\n      | 1 |\n\n' +
      '  Scenario Outline: p <v>\n    Given <v>\n\n    @BKP-ONB-002\n    Examples:\n      | v |\n      | 2 |\n      | 3 |\n',
    );
    const res = lint(reqs, { 'o.feature': src });
    assert.deepEqual(res.problems, []);
    assert.equal(res.summary.scenarios, 3);
    assert.deepEqual(res.coverage.get('BKP-ONB-002')?.map((s) => s.line), [17, 18]);
  });

  it('flags each example row of an untagged Examples block, not the tagged block', () => {
    const src = feature(
      '  Scenario Outline: o <v>\n    Given <v>\n\n    @BKP-ONB-001\n    Examples: tagged\n      | v |\n      | 1 |\n\n' +
      '    Examples: untagged\n      | v |\n      | 2 |\n      | 3 |\n',
      '@BKP-ONB-002',
    );
    const res = lint(reqs, { 'o.feature': src });
    const missing = only(res, 'missing-own-id');
    assert.deepEqual(missing.map((p) => p.line), [14, 15]);
    assert.match(missing[0]?.message ?? '', /Scenario Outline "o 2" \(Examples row\)/);
  });
});

describe('rule 2: every @BKP tag names a catalogued requirement', () => {
  it('fails for an unknown id wherever the tag is, once per occurrence', () => {
    const res = lint([{ id: 'BKP-ONB-001' }], {
      'a.feature': feature(scenario('@BKP-ONB-001 @BKP-ONB-099'), '@BKP-CHL-007'),
    });
    const unknown = only(res, 'unknown-id');
    assert.deepEqual(unknown.map((p) => `${p.file}:${p.line} ${p.id}`), ['a.feature:1 BKP-CHL-007', 'a.feature:4 BKP-ONB-099']);
    assert.match(formatProblem(unknown[1] as LintProblem), /^a\.feature:4: error \[unknown-id\] @BKP-ONB-099 names no requirement in features\/requirements\.yaml$/);
  });

  it('passes for known ids', () => {
    const res = lint([{ id: 'BKP-ONB-001' }], { 'a.feature': feature(scenario('@BKP-ONB-001')) });
    assert.deepEqual(only(res, 'unknown-id'), []);
  });

  it('fails for a retired id and points at the replacement', () => {
    const reqs: FixtureRequirement[] = [{ id: 'BKP-ONB-001', retired: true, replaced_by: ['BKP-ONB-002'] }, { id: 'BKP-ONB-002' }];
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-001') + scenario('@BKP-ONB-002')) });
    const retired = only(res, 'retired-id');
    assert.equal(retired.length, 1);
    assert.match(retired[0]?.message ?? '', /retired requirement; use BKP-ONB-002/);
    assert.equal(res.ok, false);
  });
});

describe('rule 3: every MUST has a scenario', () => {
  const reqs: FixtureRequirement[] = [
    { id: 'BKP-ONB-001' },
    { id: 'BKP-ONB-002' },
    { id: 'BKP-ONB-003', level: 'SHOULD' },
    { id: 'BKP-CHL-001', level: 'MAY' },
    { id: 'BKP-CHL-002', retired: true },
  ];

  it('fails for each uncovered MUST, at its catalogue line, naming the id', () => {
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-001')) });
    const uncovered = only(res, 'uncovered-must');
    assert.deepEqual(uncovered.map((p) => p.id), ['BKP-ONB-002']);
    assert.equal(formatProblem(uncovered[0] as LintProblem),
      'features/requirements.yaml:11: error [uncovered-must] BKP-ONB-002 (MUST) has no scenario: Requirement BKP-ONB-002 MUST hold in this fixture.');
  });

  it('passes when every MUST is covered; SHOULD and MAY gaps are only warnings', () => {
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-001') + scenario('@BKP-ONB-002')) });
    assert.equal(res.ok, true);
    assert.deepEqual(res.problems.map((p) => `${p.severity} ${p.rule} ${p.id}`), [
      'warning uncovered-should BKP-ONB-003',
      'warning uncovered-may BKP-CHL-001',
    ]);
  });

  it('does not count a MUST tagged only on the Feature as covered', () => {
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-001'), '@BKP-ONB-002') });
    assert.deepEqual(only(res, 'uncovered-must').map((p) => p.id), ['BKP-ONB-002']);
    assert.deepEqual(only(res, 'inherited-id').map((p) => `${p.severity} ${p.line} ${p.id}`), ['warning 1 BKP-ONB-002']);
  });

  it('counts a MUST tagged only on an Examples block as covered', () => {
    const src = feature('  @BKP-ONB-001\n  Scenario Outline: o <v>\n    Given <v>\n\n    @BKP-ONB-002\n    Examples:\n      | v |\n      | 1 |\n');
    assert.deepEqual(only(lint(reqs, { 'o.feature': src }), 'uncovered-must'), []);
  });

  it('lists every MUST when there are no feature files yet', () => {
    const res = lintRequirementTags(catalogue(reqs), { files: [], pickles: [], parseErrors: [] });
    assert.deepEqual(only(res, 'uncovered-must').map((p) => p.id), ['BKP-ONB-001', 'BKP-ONB-002']);
    assert.equal(res.ok, false);
  });

  it('ignores retired MUSTs', () => {
    const res = lint(reqs, { 'a.feature': feature(scenario('@BKP-ONB-001') + scenario('@BKP-ONB-002')) });
    assert.equal(res.problems.some((p) => p.id === 'BKP-CHL-002'), false);
    assert.equal(res.summary.retired, 1);
  });
});

describe('rule 4: malformed id tags', () => {
  it('fails for tags that look like ids but are not well-formed', () => {
    const res = lint([{ id: 'BKP-ONB-001' }], {
      'a.feature': feature(scenario('@BKP-ONB-001 @BKP-ONB-1') + scenario('@BKP-ONB-001 @bkp-onb-001 @BKP-ONB-0001')),
    });
    const bad = only(res, 'malformed-id');
    assert.deepEqual(bad.map((p) => `${p.line} ${p.id}`), ['3 @BKP-ONB-1', '6 @bkp-onb-001', '6 @BKP-ONB-0001']);
    assert.match(formatProblem(bad[0] as LintProblem), /^a\.feature:3: error \[malformed-id\] malformed requirement id tag @BKP-ONB-1: ids are BKP-<AREA>-<NNN>/);
    assert.equal(res.ok, false);
  });

  it('does not count a malformed id as the scenario own id', () => {
    const res = lint([{ id: 'BKP-ONB-001' }], { 'a.feature': feature(scenario('@BKP-ONB-001') + scenario('@BKP-ONB-1', 'm')) });
    assert.deepEqual(only(res, 'missing-own-id').map((p) => p.line), [7]);
  });

  it('does not fire for ordinary tags', () => {
    const res = lint([{ id: 'BKP-ONB-001' }], { 'a.feature': feature(scenario('@BKP-ONB-001 @wip @neg @grpc')) });
    assert.deepEqual(res.problems, []);
  });
});

describe('summary and report', () => {
  it('counts requirements per level, coverage and scenarios', () => {
    const res = lint(
      [{ id: 'BKP-ONB-001' }, { id: 'BKP-ONB-002' }, { id: 'BKP-ONB-003', level: 'SHOULD' }, { id: 'BKP-ONB-004', retired: true }],
      { 'a.feature': feature(scenario('@BKP-ONB-001') + scenario('@BKP-ONB-001 @BKP-ONB-003')), 'b.feature': feature(scenario('')) },
    );
    assert.deepEqual(res.summary, {
      requirements: 3,
      retired: 1,
      byLevel: { MUST: { total: 2, covered: 1 }, SHOULD: { total: 1, covered: 1 }, MAY: { total: 0, covered: 0 } },
      scenarios: 3,
      featureFiles: 2,
      errors: 2,
      warnings: 0,
    });
    assert.equal(formatSummary(res.summary),
      'catalogue lint: 3 requirements (2 MUST, 1 SHOULD, 0 MAY, 1 retired); MUSTs covered 1/2, SHOULDs 1/1, MAYs 0/0; 3 scenarios in 2 feature files; 2 errors, 0 warnings');
    const report = formatReport(res).split('\n');
    assert.equal(report.length, 3);
    assert.equal(report[2], formatSummary(res.summary));
    assert.deepEqual(res.coverage.get('BKP-ONB-001')?.map((s) => `${s.uri}:${s.line}`), ['a.feature:4', 'a.feature:7']);
  });

  it('puts errors before warnings', () => {
    const res = lint([{ id: 'BKP-ONB-001', level: 'SHOULD' }, { id: 'BKP-ONB-002' }], {});
    assert.deepEqual(res.problems.map((p) => p.severity), ['error', 'warning']);
  });
});

describe('runCatalogueLint (from disk)', () => {
  const dir = fixtureDir();
  after(() => dir.cleanup());

  it('lints a directory tree against a catalogue file', () => {
    const cat = dir.write('ok/requirements.yaml', catalogueYaml([{ id: 'BKP-ONB-001' }]));
    dir.write('ok/features/sub/a.feature', feature(scenario('@BKP-ONB-001')));
    const res = runCatalogueLint({ featuresDir: join(dir.root, 'ok/features'), cataloguePath: cat });
    assert.equal(res.ok, true, formatReport(res));
    assert.equal(res.summary.scenarios, 1);
  });

  it('reports feature parse errors with file and line', () => {
    const cat = dir.write('parse/requirements.yaml', catalogueYaml([{ id: 'BKP-ONB-001' }]));
    dir.write('parse/features/bad.feature', 'nonsense before the feature\nFeature: f\n');
    const res = runCatalogueLint({ featuresDir: join(dir.root, 'parse/features'), cataloguePath: cat });
    const parse = only(res, 'parse-error');
    assert.equal(parse.length, 1);
    assert.equal(parse[0]?.line, 1);
    assert.match(parse[0]?.file ?? '', /bad\.feature$/);
  });

  it('reports an invalid catalogue as errors instead of throwing', () => {
    const cat = dir.write('badcat/requirements.yaml', catalogueYaml([{ id: 'BKP-ONB-001' }, { id: 'BKP-ONB-001' }]));
    const res = runCatalogueLint({ featuresDir: dir.root, cataloguePath: cat });
    assert.equal(res.ok, false);
    assert.deepEqual(res.problems.map((p) => `${p.rule} ${p.line}`), ['catalogue 11']);
  });

  it('reports a missing features directory', () => {
    const cat = dir.write('nodir/requirements.yaml', catalogueYaml([{ id: 'BKP-ONB-001' }]));
    const res = runCatalogueLint({ featuresDir: join(dir.root, 'nodir/features'), cataloguePath: cat });
    assert.deepEqual(res.problems.map((p) => p.rule), ['features-dir']);
  });
});
