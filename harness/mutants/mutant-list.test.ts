// The list of mutants cannot rot: every mutant breaks a live catalogued
// requirement that has scenarios on its side, has a unique id, and is
// injected somewhere in reference/ on its side's code — and every injection
// site names a listed mutant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MUTANTS } from '../../reference/mutants/mutants.js';
import type { Mutant } from '../../reference/mutants/mutants.js';
import { areaOfId, loadCatalogue } from '../catalogue/catalogue.js';
import { collectFeatureTags } from '../catalogue/feature-tags.js';
import { PROJECT_ROOT } from '../target/schema.js';

const mutants: readonly Mutant[] = MUTANTS;

/** Where each side's code lives; a server mutant may also sit on the server's path through the shared crypto. */
const SIDE_FOLDERS: Record<Mutant['side'], string[]> = { server: ['reference/auth/', 'reference/crypto/'], bot: ['reference/bot/'] };

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(PROJECT_ROOT, path.join(e.parentPath, e.name)));
}

/** Every `mutantActive('<id>')` in reference/ outside reference/mutants/, with its file. */
function injectionSites(): { id: string; file: string }[] {
  return sourceFiles('reference')
    .filter((f) => !f.startsWith('reference/mutants/'))
    .flatMap((file) => [...readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(/mutantActive\('([^']+)'\)/g)].map((m) => ({ id: m[1] ?? '', file })));
}

test('there are at least 25 mutants, on both sides, with unique ids that start with their side', () => {
  assert.ok(mutants.length >= 25, `only ${mutants.length} mutants`);
  assert.ok(mutants.some((m) => m.side === 'server') && mutants.some((m) => m.side === 'bot'));
  const ids = mutants.map((m) => m.id);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate ids');
  for (const m of mutants) assert.match(m.id, new RegExp(`^${m.side}-[a-z0-9]+(-[a-z0-9]+)*$`), m.id);
});

test('every mutant breaks a live catalogued requirement of its area', () => {
  const catalogue = loadCatalogue();
  for (const m of mutants) {
    const requirement = catalogue.byId.get(m.requirement);
    assert.ok(requirement, `${m.id}: ${m.requirement} is not in the catalogue`);
    assert.ok(!requirement.retired, `${m.id}: ${m.requirement} is retired`);
    assert.equal(m.area, areaOfId(m.requirement), `${m.id}: area ${m.area} is not the area of ${m.requirement}`);
    assert.ok(m.description.trim().length > 0, `${m.id}: no description`);
  }
});

test('every mutant\'s requirement has scenarios on the mutant\'s side (@client for bots)', () => {
  const pickles = collectFeatureTags(path.join(PROJECT_ROOT, 'features'), { uriBase: PROJECT_ROOT }).pickles;
  for (const m of mutants) {
    const count = pickles.filter((p) => {
      const tags = [...p.ownTags, ...p.inheritedTags].map((t) => t.name);
      return tags.includes(`@${m.requirement}`) && tags.includes('@client') === (m.side === 'bot');
    }).length;
    assert.ok(count > 0, `${m.id}: no ${m.side === 'bot' ? '@client' : 'server'} scenario is tagged @${m.requirement}`);
  }
});

test('every mutant is injected in its side\'s code, and every injection site names a listed mutant', () => {
  const sites = injectionSites();
  const listed = new Set(mutants.map((m) => m.id));
  for (const site of sites) assert.ok(listed.has(site.id), `${site.file}: mutantActive('${site.id}') names no listed mutant`);
  for (const m of mutants) {
    const own = sites.filter((s) => s.id === m.id);
    assert.ok(own.length > 0, `${m.id}: no mutantActive('${m.id}') in reference/`);
    for (const s of own) assert.ok(SIDE_FOLDERS[m.side].some((dir) => s.file.startsWith(dir)), `${m.id} is a ${m.side} mutant but is injected in ${s.file}`);
  }
});

test('docs/mutants.md lists every mutant', () => {
  const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/mutants.md'), 'utf8');
  for (const m of mutants) assert.ok(doc.includes(`| \`${m.id}\` | ${m.requirement} |`), `docs/mutants.md has no table row for ${m.id} (${m.requirement})`);
});
