import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { collectFeatureTags, FeatureParseError, findFeatureFiles, parseFeatureSource } from './feature-tags.js';
import type { PickleTags } from './feature-tags.js';
import { fixtureDir } from './test-fixtures.js';

const names = (tags: { name: string }[]): string[] => tags.map((t) => t.name);

const OUTLINE = `@BKP-ONB-001 @smoke
Feature: onboarding

  @BKP-ONB-002
  Scenario: plain scenario
    Given a token

  Scenario: untagged scenario
    Given a token

  @BKP-ONB-003
  Scenario Outline: outline <what>
    Given a token with <what>

    @BKP-CHL-001
    Examples: tagged block
      | what |
      | a    |
      | b    |

    Examples: untagged block
      | what |
      | c    |

  Rule: a rule
    @BKP-ONB-004
    Scenario: inside a rule
      Given a token
`;

const RULE_TAGGED = `Feature: rules

  @BKP-ONB-005
  Rule: tagged rule

    Scenario: only the rule is tagged
      Given a token

    @BKP-ONB-006
    Scenario: the scenario is tagged too
      Given a token
`;

describe('parseFeatureSource', () => {
  const parsed = parseFeatureSource(OUTLINE, 'features/onb.feature');
  const byLine = new Map<number, PickleTags>(parsed.pickles.map((p) => [p.line, p]));

  it('returns one pickle per Scenario and per Examples row', () => {
    assert.deepEqual(parsed.pickles.map((p) => [p.line, p.name]), [
      [5, 'plain scenario'],
      [8, 'untagged scenario'],
      [18, 'outline a'],
      [19, 'outline b'],
      [23, 'outline c'],
      [27, 'inside a rule'],
    ]);
  });

  it('counts scenario tags as own and feature tags as inherited', () => {
    const plain = byLine.get(5);
    assert.deepEqual(names(plain?.ownTags ?? []), ['@BKP-ONB-002']);
    assert.deepEqual(names(plain?.inheritedTags ?? []), ['@BKP-ONB-001', '@smoke']);
    assert.deepEqual(names(byLine.get(8)?.ownTags ?? []), []);
    assert.deepEqual(names(byLine.get(8)?.inheritedTags ?? []), ['@BKP-ONB-001', '@smoke']);
  });

  it('gives outline rows the outline tags plus the tags of their own Examples block', () => {
    for (const line of [18, 19]) {
      const p = byLine.get(line);
      assert.equal(p?.fromExamples, true);
      assert.equal(p?.scenarioLine, 12);
      assert.equal(p?.keyword, 'Scenario Outline');
      assert.deepEqual(names(p?.ownTags ?? []), ['@BKP-ONB-003', '@BKP-CHL-001']);
    }
    assert.deepEqual(names(byLine.get(23)?.ownTags ?? []), ['@BKP-ONB-003']);
  });

  it('lists every tag in the file with its level and position', () => {
    assert.deepEqual(parsed.tags.map((t) => `${t.line}:${t.column} ${t.level} ${t.name}`), [
      '1:1 feature @BKP-ONB-001',
      '1:14 feature @smoke',
      '4:3 scenario @BKP-ONB-002',
      '11:3 scenario @BKP-ONB-003',
      '15:5 examples @BKP-CHL-001',
      '26:5 scenario @BKP-ONB-004',
    ]);
  });

  it('counts Rule tags as inherited', () => {
    const rules = parseFeatureSource(RULE_TAGGED, 'r.feature');
    const [onlyRule, both] = rules.pickles;
    assert.deepEqual(names(onlyRule?.ownTags ?? []), []);
    assert.deepEqual(names(onlyRule?.inheritedTags ?? []), ['@BKP-ONB-005']);
    assert.deepEqual(names(both?.ownTags ?? []), ['@BKP-ONB-006']);
    assert.equal(rules.tags.find((t) => t.name === '@BKP-ONB-005')?.level, 'rule');
  });

  it('reports outlines whose Examples have no rows', () => {
    const src = 'Feature: f\n\n  @BKP-ONB-001\n  Scenario Outline: empty <x>\n    Given <x>\n\n    Examples:\n      | x |\n';
    const res = parseFeatureSource(src, 'e.feature');
    assert.equal(res.pickles.length, 0);
    assert.deepEqual(res.outlinesWithoutExamples, [{ uri: 'e.feature', line: 4, name: 'empty <x>' }]);
  });

  it('returns nothing for a file without a Feature', () => {
    assert.deepEqual(parseFeatureSource('# just a comment\n', 'c.feature').pickles, []);
  });

  it('throws FeatureParseError with the line of the syntax error', () => {
    assert.throws(
      () => parseFeatureSource('Feature: f\n  Scenario: s\n    Given x\n  | not | a table here\n  oops\n', 'bad.feature'),
      (err: unknown) => {
        assert.ok(err instanceof FeatureParseError);
        assert.ok(err.failures.length > 0);
        assert.equal(err.failures[0]?.uri, 'bad.feature');
        assert.ok((err.failures[0]?.line ?? 0) >= 4, JSON.stringify(err.failures));
        return true;
      },
    );
  });
});

describe('collectFeatureTags', () => {
  const dir = fixtureDir();
  after(() => dir.cleanup());
  dir.write('features/b/second.feature', 'Feature: two\n\n  @BKP-ONB-002\n  Scenario: s2\n    Given x\n');
  dir.write('features/a.feature', 'Feature: one\n\n  @BKP-ONB-001\n  Scenario: s1\n    Given x\n');
  dir.write('features/c/broken.feature', 'this is not gherkin\nFeature: broken\n');
  dir.write('features/notes.md', '# not a feature\n');
  dir.write('features/.hidden/skip.feature', 'Feature: hidden\n');

  it('finds feature files recursively, sorted, skipping dot-directories', () => {
    const files = findFeatureFiles(join(dir.root, 'features')).map((f) => f.slice(dir.root.length + 1));
    assert.deepEqual(files, ['features/a.feature', 'features/b/second.feature', 'features/c/broken.feature']);
  });

  it('collects pickles of the good files and parse errors of the bad one, with paths relative to the base', () => {
    const res = collectFeatureTags(join(dir.root, 'features'), { uriBase: dir.root });
    assert.deepEqual(res.pickles.map((p) => `${p.uri}:${p.line}`), ['features/a.feature:4', 'features/b/second.feature:4']);
    assert.equal(res.files.length, 2);
    assert.equal(res.parseErrors.length, 1);
    assert.equal(res.parseErrors[0]?.uri, 'features/c/broken.feature');
  });

  it('throws when the directory does not exist', () => {
    assert.throws(() => collectFeatureTags(join(dir.root, 'nope')), /features directory not found/);
  });
});
