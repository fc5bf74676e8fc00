import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import {
  activeRequirements,
  areaOfId,
  CatalogueError,
  catalogueHash,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogue,
  parseCatalogue,
  REQUIREMENT_ID_PATTERN,
} from './catalogue.js';
import { catalogueYaml, fixtureDir } from './test-fixtures.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CatalogueError, `expected CatalogueError, got ${String(err)}`);
    return err.problems.map((p) => `${p.line}: ${p.message}`);
  }
  assert.fail('expected the catalogue to be rejected');
}

describe('the checked-in catalogue', () => {
  const cat = loadCatalogue();

  it('loads and validates', () => {
    assert.equal(cat.version, 1);
    assert.ok(cat.requirements.length > 0);
  });

  it('has unique, well-formed ids whose prefix is a declared area', () => {
    const ids = cat.requirements.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of cat.requirements) {
      assert.match(r.id, REQUIREMENT_ID_PATTERN);
      assert.equal(areaOfId(r.id), r.area);
      assert.ok(Object.hasOwn(cat.areas, r.area), `${r.id} area ${r.area}`);
    }
  });

  it('declares every area of the specification with a title', () => {
    for (const a of ['ONB', 'CHL', 'TOK', 'PRT', 'REC', 'REN', 'JST', 'LCK', 'GEN', 'RACE', 'ROT', 'AGT', 'ROL', 'SUI', 'CLI', 'STO', 'CRT', 'RTY', 'STK']) {
      assert.ok(cat.areas[a]?.title, `area ${a} declared`);
    }
  });

  it('numbers each area from 001 without gaps', () => {
    const byArea = new Map<string, number[]>();
    for (const r of cat.requirements) byArea.set(r.area, [...(byArea.get(r.area) ?? []), Number(r.id.slice(-3))]);
    for (const [area, nums] of byArea) assert.deepEqual(nums, nums.map((_, i) => i + 1), `area ${area}`);
  });

  it('states every requirement with its RFC 2119 keyword', () => {
    for (const r of activeRequirements(cat)) assert.ok(r.statement.includes(r.level), `${r.id} statement uses ${r.level}`);
  });

  it('records the line of each requirement', () => {
    const lines = readFileSync(DEFAULT_CATALOGUE_PATH, 'utf8').split('\n');
    for (const r of cat.requirements) assert.ok(lines[r.line - 1]?.includes(`id: ${r.id}`), `${r.id} at line ${r.line}`);
  });
});

describe('parseCatalogue', () => {
  it('accepts a minimal valid catalogue and indexes it by id', () => {
    const cat = parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001' }, { id: 'BKP-CHL-001', level: 'SHOULD' }]));
    assert.equal(cat.requirements.length, 2);
    assert.equal(cat.byId.get('BKP-CHL-001')?.level, 'SHOULD');
    assert.equal(cat.byId.get('BKP-ONB-001')?.line, 6);
  });

  it('rejects duplicate ids, naming both lines', () => {
    const problems = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001' }, { id: 'BKP-ONB-001' }])));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^11: BKP-ONB-001: duplicate id \(first defined at line 6\)/);
  });

  it('rejects an id that does not match the pattern', () => {
    for (const bad of ['BKP-ONB-1', 'BKP-ONB-0001', 'bkp-onb-001', 'BKP-O-001', 'BKP-ONBXY-001', 'XYZ-ONB-001']) {
      const problems = problemsOf(() => parseCatalogue(catalogueYaml([{ id: bad, area: 'ONB' }])));
      assert.ok(problems.some((p) => p.startsWith('6: requirements.0.id: requirement id does not match')), `${bad}: ${problems.join('; ')}`);
    }
  });

  it('rejects an id whose area prefix differs from area', () => {
    const problems = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-CHL-001', area: 'ONB' }])));
    assert.deepEqual(problems, ['6: BKP-CHL-001: id area prefix "CHL" does not match area "ONB"']);
  });

  it('rejects a requirement in an undeclared area', () => {
    const problems = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-TOK-001' }])));
    assert.deepEqual(problems, ['6: BKP-TOK-001: area "TOK" is not declared under areas:']);
  });

  it('rejects a level outside MUST, SHOULD, MAY', () => {
    const text = catalogueYaml([{ id: 'BKP-ONB-001' }]).replace('level: MUST', 'level: SHALL');
    const problems = problemsOf(() => parseCatalogue(text));
    assert.deepEqual(problems, ['8: requirements.0.level: must be one of "MUST", "SHOULD", "MAY"']);
  });

  it('rejects unknown fields and missing required fields', () => {
    const unknown = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001', extra: 'priority: high' }])));
    assert.deepEqual(unknown, ['6: requirements.0: unknown field "priority"']);
    const missing = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001' }]).replace(/ {4}source: "fixture"\n/, '')));
    assert.deepEqual(missing, ['6: requirements.0: missing required field "source"']);
  });

  it('rejects a malformed area code', () => {
    const problems = problemsOf(() => parseCatalogue(catalogueYaml([], ['onb'])));
    assert.ok(problems.some((p) => p.includes('area code "onb"')), problems.join('; '));
  });

  it('checks replaced_by: requires retired and must resolve', () => {
    const notRetired = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001', replaced_by: ['BKP-ONB-002'] }, { id: 'BKP-ONB-002' }])));
    assert.ok(notRetired.some((p) => p.includes('retired')), notRetired.join('; '));
    const dangling = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001', retired: true, replaced_by: ['BKP-ONB-009'] }])));
    assert.deepEqual(dangling, ['6: BKP-ONB-001: replaced_by names unknown requirement BKP-ONB-009']);
    const ok = parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001', retired: true, replaced_by: ['BKP-ONB-002'] }, { id: 'BKP-ONB-002' }]));
    assert.deepEqual(activeRequirements(ok).map((r) => r.id), ['BKP-ONB-002']);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    const broken = problemsOf(() => parseCatalogue('version: 1\nareas: {\n'));
    assert.ok(broken[0]?.includes('YAML:'), broken.join('; '));
    const dupKey = problemsOf(() => parseCatalogue(catalogueYaml([{ id: 'BKP-ONB-001', extra: 'level: MAY' }])));
    assert.ok(dupKey.some((p) => /^\d+: YAML: .*unique/i.test(p)), dupKey.join('; '));
  });

  it('reports every problem at once', () => {
    const text = catalogueYaml([{ id: 'BKP-ONB-001', area: 'CHL' }, { id: 'BKP-TOK-001' }]);
    assert.equal(problemsOf(() => parseCatalogue(text)).length, 2);
  });
});

describe('loadCatalogue and catalogueHash', () => {
  const dir = fixtureDir();
  after(() => dir.cleanup());

  it('hashes the file bytes with sha256', () => {
    const path = dir.write('requirements.yaml', catalogueYaml([{ id: 'BKP-ONB-001' }]));
    const expected = createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.equal(catalogueHash(path), expected);
    assert.equal(loadCatalogue(path).hash, expected);
    writeFileSync(path, `${readFileSync(path, 'utf8')}# comment\n`);
    assert.notEqual(catalogueHash(path), expected);
  });

  it('defaults to features/requirements.yaml', () => {
    assert.equal(catalogueHash(), createHash('sha256').update(readFileSync(DEFAULT_CATALOGUE_PATH)).digest('hex'));
  });

  it('turns an unreadable file into a CatalogueError', () => {
    const problems = problemsOf(() => loadCatalogue(`${dir.root}/missing.yaml`));
    assert.match(problems[0] ?? '', /cannot read catalogue/);
  });
});
