// `bkp run` end to end, as a user runs it (a child process): exit 2 for a
// broken target naming the field, --dry-run, exit 0 against the reference
// server in-process and as a process target, exit 1 for a listed deviation
// that passes, exit 2 when no scenario runs. Small tag sets keep it quick.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../target/schema.js';

const IN_PROCESS = 'targets/reference-server.in-process.yaml';
const dir = mkdtempSync(path.join(tmpdir(), 'bkp-run-'));

interface Result { code: number | null; stdout: string; stderr: string }

function bkpRun(...args: string[]): Promise<Result> {
  return bkpRunWith({}, ...args);
}

function bkpRunWith(extraEnv: Record<string, string>, ...args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    // Without the suite's own variables, as a user's shell would have it.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BKP_'))), ...extraEnv };
    // Run directories go to the test's temporary folder, not the project's reports/.
    const child = spawn(process.execPath, ['bin/bkp.js', 'run', ...args, '--reports-dir', path.join(dir, 'reports')], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function explain(r: Result): string {
  return `exit ${r.code}\nstdout:\n${r.stdout.slice(-3000)}\nstderr:\n${r.stderr.slice(-3000)}`;
}

test('a broken target: exit 2, every field at fault named, nothing started', async () => {
  const r = await bkpRun('--target', 'harness/run/testdata/broken-target.yaml');
  assert.equal(r.code, 2, explain(r));
  assert.match(r.stderr, /^configuration error: harness\/run\/testdata\/broken-target\.yaml: launch\.command: missing required field$/m);
  assert.match(r.stderr, /^configuration error: harness\/run\/testdata\/broken-target\.yaml: launch\.restart_policy: unknown field$/m);
  assert.match(r.stderr, /launch\.ready\.timeout: must match pattern/);
  assert.doesNotMatch(r.stdout, /pre-flight/);
});

test('--dry-run lists the scenarios that would run; a selection of none is exit 2', async () => {
  const r = await bkpRun('--target', IN_PROCESS, '--tags', '@BKP-ONB-001', '--dry-run');
  assert.equal(r.code, 0, explain(r));
  assert.match(r.stdout, /^features\/onboarding\/pre-registered-key\.feature:\d+ {2}A bot onboards by signing a challenge with its pre-registered key$/m);
  assert.match(r.stdout, /2 scenario\(s\) would run against reference-server-in-process \(selection: \(not @client\) and \(@BKP-ONB-001\)\)/);
  const none = await bkpRun('--target', IN_PROCESS, '--tags', '@no-such-tag', '--dry-run');
  assert.equal(none.code, 2, explain(none));
  assert.match(none.stderr, /configuration error: --tags: no scenario matches the selection/);
});

test('the reference server in-process, two workers: exit 0, and the summary as JSON', async () => {
  const json = path.join(dir, 'summary.json');
  const r = await bkpRun('--target', IN_PROCESS, '--tags', '@BKP-ONB-001', '--seed', 'fixed-seed', '--summary-json', json, '--run-id', 'in-process');
  assert.equal(r.code, 0, explain(r));
  const conformance = JSON.parse(readFileSync(path.join(dir, 'reports', 'in-process', 'conformance.json'), 'utf8')) as { manifest: { seed: string }; requirements: { id: string; verdict: string }[] };
  assert.equal(conformance.manifest.seed, 'fixed-seed');
  assert.equal(conformance.requirements.find((q) => q.id === 'BKP-ONB-001')?.verdict, 'PASS');
  assert.match(r.stdout, /pre-flight: bkp-reference-auth-server .*teleport\.join\.v1/);
  assert.match(r.stdout, /scenarios {3}2 passed, 0 failed, 0 not applicable, 0 expected failures, 0 unexpected passes/);
  assert.match(r.stdout, /verdict {5}CONFORMANT: .*for the selected scenarios only/);
  const summary = JSON.parse(readFileSync(json, 'utf8')) as { verdict: string; seed: string; exitCode: number; target: { mode: string } };
  assert.deepEqual([summary.verdict, summary.seed, summary.exitCode, summary.target.mode], ['conformant', 'fixed-seed', 0, 'in-process']);
});

test('the reference server as a process target: exit 0', async () => {
  const r = await bkpRun('--target', 'targets/reference-server.process.yaml', '--tags', '@BKP-ONB-001 and not @needs-clock-control');
  assert.equal(r.code, 0, explain(r));
  assert.match(r.stdout, /reference-server-process \(server, process\)/);
  assert.match(r.stdout, /scenarios {3}1 passed, 0 failed/);
});

test('a listed deviation that passes: exit 1, the entry named', async () => {
  writeFileSync(path.join(dir, 'expectations.yaml'), 'version: 1\ndeviations:\n  - requirement: BKP-ONB-001\n    reason: pretends to be broken\n');
  writeFileSync(path.join(dir, 'target.yaml'), 'version: 1\nrole: server\nname: stale-expectations\nlaunch: { mode: in-process }\nexpectations: expectations.yaml\n');
  const r = await bkpRun('--target', path.join(dir, 'target.yaml'), '--tags', '@BKP-ONB-001 and not @needs-clock-control', '--parallel', '0');
  assert.equal(r.code, 1, explain(r));
  assert.match(r.stdout, /listed as deviations but passed \(remove them from the expectations file\):\n {2}BKP-ONB-001 {2}— pretends to be broken/);
  assert.match(r.stdout, /verdict {5}NOT CONFORMANT: 1 listed deviation\(s\) now pass/);
});

test('a run that executes no scenario is exit 2', async () => {
  const r = await bkpRun('--target', IN_PROCESS, '--tags', '@no-such-tag', '--parallel', '0');
  assert.equal(r.code, 2, explain(r));
  assert.match(r.stdout, /verdict {5}ERROR: no scenario ran \(exit 2\)/);
});

test('a container target without a container engine: SKIPPED with the reason, verdict skipped, never a pass', async () => {
  const json = path.join(dir, 'skipped.json');
  const r = await bkpRunWith({ DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}` }, '--target', 'targets/reference-server.container.yaml', '--summary-json', json);
  assert.equal(r.code, 0, explain(r));
  assert.match(r.stderr, /^SKIPPED: reference-server-container: .*no-engine\.sock.* — this is not a pass$/m);
  assert.match(r.stdout, /verdict {5}SKIPPED: /);
  assert.doesNotMatch(r.stdout, /CONFORMANT/);
  assert.equal((JSON.parse(readFileSync(json, 'utf8')) as { verdict: string }).verdict, 'skipped');
});
