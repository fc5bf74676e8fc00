import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from './catalogue.js';
import { catalogueYaml, fixtureDir } from './test-fixtures.js';

const CLI = fileURLToPath(new URL('./lint-cli.ts', import.meta.url));
// Resolved here so that the child can run from a temporary working directory.
const TSX = import.meta.resolve('tsx');

function runCli(args: string[], cwd = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('lint-cli', () => {
  const dir = fixtureDir();
  after(() => dir.cleanup());
  const catalogue = dir.write('requirements.yaml', catalogueYaml([{ id: 'BKP-ONB-001' }, { id: 'BKP-ONB-002', level: 'SHOULD' }]));

  it('exits 0 and prints the summary when clean (warnings allowed)', () => {
    dir.write('clean/a.feature', 'Feature: f\n\n  @BKP-ONB-001\n  Scenario: s\n    Given x\n');
    const res = runCli(['--features', join(dir.root, 'clean'), '--catalogue', catalogue], dir.root);
    assert.equal(res.status, 0, res.stdout + res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^requirements\.yaml:\d+: warning \[uncovered-should\] BKP-ONB-002 \(SHOULD\) has no scenario/);
    assert.match(lines[1] ?? '', /^catalogue lint: 2 requirements \(1 MUST, 1 SHOULD, 0 MAY\); MUSTs covered 1\/1, .*1 scenarios in 1 feature files; 0 errors, 1 warnings$/);
  });

  it('exits 1 with one line per problem, paths relative to the working directory', () => {
    dir.write('dirty/a.feature', 'Feature: f\n\n  @BKP-ONB-1\n  Scenario: s\n    Given x\n');
    const res = runCli(['--features', 'dirty', '--catalogue', 'requirements.yaml'], dir.root);
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.match(res.stdout, /^dirty\/a\.feature:3: error \[malformed-id\] malformed requirement id tag @BKP-ONB-1/m);
    assert.match(res.stdout, /^dirty\/a\.feature:4: error \[missing-own-id\] Scenario "s"/m);
    assert.match(res.stdout, /^requirements\.yaml:6: error \[uncovered-must\] BKP-ONB-001 \(MUST\)/m);
    assert.match(res.stdout, /3 errors, 1 warnings\n$/);
  });

  it('with the defaults, names every uncovered MUST of the real catalogue', () => {
    const res = runCli([]);
    const uncovered = res.stdout.split('\n').filter((l) => l.includes('[uncovered-must]'));
    const summary = /MUSTs covered (\d+)\/(\d+)/.exec(res.stdout);
    assert.ok(summary, res.stdout);
    assert.equal(uncovered.length, Number(summary[2]) - Number(summary[1]));
    for (const line of uncovered) assert.match(line, /^features\/requirements\.yaml:\d+: error \[uncovered-must\] BKP-[A-Z]{2,4}-\d{3} \(MUST\) has no scenario: /);
    assert.equal(res.status, uncovered.length > 0 ? 1 : 0);
  });

  it('prints usage for --help and exits 2 on an unknown option', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: /);
    const bad = runCli(['--frobnicate']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /usage: /);
  });
});
