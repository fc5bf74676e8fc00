// The reports as a person sees them: a real `bkp run` against the embedded
// reference server writes its run directory; a copy of that run has one
// step turned into a failure (the renderer's job is to show a failure, and
// the reference server does not fail); the matrix combines the two. Debian's
// chromium, driven by playwright-core, opens the pages and the test reads
// what is on screen and follows the links a reader would click.
//
// Without /usr/bin/chromium (or BKP_CHROMIUM) the test is skipped, loudly,
// unless BKP_REQUIRE_BROWSER=1 (CI sets it): then a missing browser fails.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
// Loose on purpose: the test edits raw messages it has just read back.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Envelope = Record<string, any>;
import { PROJECT_ROOT } from '../target/schema.js';
import { writeRunReports } from './run-reports.js';
import { writeMatrix } from './report-command.js';

const CHROMIUM = process.env.BKP_CHROMIUM ?? '/usr/bin/chromium';
const REQUIREMENT = 'BKP-REC-001';
const FAILURE = 'AssertionError: expected the recovery counter to be 1, got 2';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  const line = `reports.browser.test: no browser at ${CHROMIUM} (apt-get install chromium, or set BKP_CHROMIUM)`;
  if (process.env.BKP_REQUIRE_BROWSER === '1') throw new Error(line);
  process.stderr.write(`\nSKIPPED ${line}\n`);
}

/** Turns the first step of the first executed scenario tagged REQUIREMENT into a failure. */
function failOneStep(runDir: string): string {
  const file = path.join(runDir, 'messages.ndjson');
  const envelopes = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope);
  const pickle = envelopes.find((e) => e.pickle?.tags.some((t: { name: string }) => t.name === `@${REQUIREMENT}`) && envelopes.some((c) => c.testCase?.pickleId === e.pickle.id))?.pickle;
  assert.ok(pickle, `the run executed no scenario tagged @${REQUIREMENT}`);
  const testCase = envelopes.find((e) => e.testCase?.pickleId === pickle.id)?.testCase;
  const step = testCase.testSteps.find((s: { pickleStepId?: string }) => s.pickleStepId);
  const finished = envelopes.find((e) => e.testStepFinished?.testStepId === step.id)?.testStepFinished;
  assert.ok(finished, 'the step has no testStepFinished message');
  finished.testStepResult = { ...finished.testStepResult, status: 'FAILED', message: FAILURE };
  writeFileSync(file, `${envelopes.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const summaryFile = path.join(runDir, 'summary.json');
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  writeFileSync(summaryFile, JSON.stringify({ ...summary, verdict: 'not conformant', reason: '1 scenario(s) failed', exitCode: 1 }));
  const manifestFile = path.join(runDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, runId: 'failing', target: { ...manifest.target, name: 'broken-server' } }));
  return pickle.steps.find((s: { id: string }) => s.id === step.pickleStepId).text;
}

describe('reports in a real browser', { skip: !haveBrowser, timeout: 240_000 }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bkp-reports-'));
  const passing = path.join(root, 'passing');
  const failing = path.join(root, 'failing');
  let failedStep = '';
  let browser: Browser;
  let page: Page;

  before(async () => {
    execFileSync(process.execPath, ['bin/bkp.js', 'run', '--target', 'targets/reference-server.in-process.yaml', '--tags', `@${REQUIREMENT}`, '--parallel', '0', '--seed', 'browser', '--reports-dir', root, '--run-id', 'passing'], { cwd: PROJECT_ROOT, stdio: 'ignore', timeout: 180_000 });
    cpSync(passing, failing, { recursive: true });
    failedStep = failOneStep(failing);
    await writeRunReports(failing);
    await writeMatrix([passing, failing], path.join(root, 'matrix'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const open = (file: string) => page.goto(`file://${file}`);
  const verdictOf = (id: string) => page.locator(`tr[data-requirement="${id}"]`).first().getAttribute('data-verdict');

  it('a passing partial run claims nothing, and says which MUSTs it left out', async () => {
    await open(path.join(passing, 'conformance.html'));
    assert.equal(await page.locator('#verdict').innerText(), 'NO CLAIM (partial run)');
    assert.equal(await verdictOf(REQUIREMENT), 'PASS');
    // A bot requirement in a server run does not apply; a server requirement outside --tags was skipped.
    assert.equal(await verdictOf('BKP-STO-001'), 'NOT APPLICABLE');
    assert.equal(await verdictOf('BKP-LCK-001'), 'SKIPPED');
    assert.match(await page.locator('#unexercised-musts').innerText(), /MUST requirement\(s\) without an executed scenario/);
    assert.equal(await page.locator('#failures').count(), 0);
  });

  it('a failing requirement shows its scenario, the failed step, the message and the evidence within one click', async () => {
    await open(path.join(failing, 'conformance.html'));
    assert.equal(await page.locator('#verdict').innerText(), 'NOT CONFORMANT');
    await page.locator(`#failures a[href="#req-${REQUIREMENT}"]`).click();
    assert.ok(page.url().endsWith(`#req-${REQUIREMENT}`));
    const row = page.locator(`#req-${REQUIREMENT}`);
    assert.equal(await row.getAttribute('data-verdict'), 'FAIL');
    assert.equal(await row.locator('.failed-step').first().innerText(), failedStep);
    assert.equal(await row.locator('pre.message').first().innerText(), FAILURE);
    const evidence = row.locator('details.evidence').first();
    assert.equal(await evidence.locator('pre').isVisible(), false);
    await evidence.locator('summary').click();
    const text = await evidence.locator('pre').innerText();
    assert.match(text, /"controlCalls"/);
    assert.match(text, /POST tokens/);
    assert.doesNotMatch(text, /PRIVATE KEY-----\n[A-Za-z0-9+/]/, 'a private key reached the report');
  });

  it('the matrix sets the two runs side by side and links each cell to its run', async () => {
    await open(path.join(root, 'matrix', 'matrix.html'));
    assert.equal(await page.locator('#matrix thead th[data-run]').count(), 2);
    const cells = page.locator(`#matrix tr[data-requirement="${REQUIREMENT}"] [data-verdict]`);
    assert.deepEqual(await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict'))), ['PASS', 'FAIL']);
    await cells.nth(1).click();
    assert.ok(page.url().includes('/failing/conformance.html#req-'), page.url());
    assert.equal(await page.locator('#verdict').innerText(), 'NOT CONFORMANT');
  });

  it("Cucumber's report of the same run renders its scenarios, and JUnit records the failure", async () => {
    await open(path.join(failing, 'report.html'));
    await page.getByText(failedStep).first().waitFor({ timeout: 20_000 });
    const junit = readFileSync(path.join(failing, 'junit.xml'), 'utf8');
    assert.match(junit, /<failure/);
    assert.ok(junit.includes(FAILURE));
  });
});
