// One run's conformance report as data (conformance.json): a verdict per
// catalogue requirement, the scenarios that exercised it, and for a failure
// the step, the message and the evidence. The HTML page and the cross-run
// matrix are views of this.
//
// A requirement's verdict in a run:
//   PASS            every executed scenario tagged with it passed
//   FAIL            one of them failed: the target did something the requirement forbids
//   ERROR           one of them could not be judged (undefined or ambiguous step,
//                   a failed run hook): the suite's or the configuration's fault
//   NOT APPLICABLE  its scenarios were skipped because the target does not declare a
//                   capability they need, or all its scenarios belong to the other role
//                   (a bot requirement in a server run)
//   SKIPPED         nothing judged it: the run was skipped (no container engine) or
//                   ended before the scenarios, or --tags left its scenarios out
import type { Catalogue, Requirement, RequirementLevel } from '../catalogue/catalogue.js';
import type { RunManifest } from './manifest.js';
import { notApplicableReason } from './run-model.js';
import type { RunModel, ScenarioRecord, ScenarioStatus } from './run-model.js';
import { EVIDENCE_MEDIA_TYPE } from './evidence-media-type.js';

export const CONFORMANCE_SCHEMA = 'bkp-conformance/1';
export const VERDICTS = ['PASS', 'FAIL', 'ERROR', 'NOT APPLICABLE', 'SKIPPED'] as const;
export type RequirementVerdict = (typeof VERDICTS)[number];
const LEVEL_ORDER: Record<RequirementLevel, number> = { MUST: 0, SHOULD: 1, MAY: 2 };

export interface ScenarioResult {
  name: string;
  uri: string;
  line: number;
  status: ScenarioStatus;
  failedStep?: string;
  message?: string;
  /** Why it did not apply (the target's missing capability). */
  reason?: string;
  /** The scenario's evidence document (decoded, redacted), for failures and errors. */
  evidence?: string;
}

export interface RequirementResult {
  id: string;
  area: string;
  level: RequirementLevel;
  statement: string;
  source: string;
  verdict: RequirementVerdict;
  reason: string;
  scenarios: ScenarioResult[];
}

export interface AreaResult {
  area: string;
  title: string;
  counts: Record<RequirementVerdict, number>;
}

export interface ConformanceReport {
  schema: typeof CONFORMANCE_SCHEMA;
  manifest: RunManifest;
  /** The run's verdict (harness/run/summary.ts) and why. */
  run: { verdict: string; reason: string; exitCode: number };
  totals: Record<RequirementVerdict, number>;
  mustTotals: Record<RequirementVerdict, number>;
  /** MUST requirements no scenario of this run executed (SKIPPED or ERROR): a full claim needs none. */
  mustsWithoutExecutedScenario: string[];
  areas: AreaResult[];
  /** MUSTs first, then SHOULD, then MAY; catalogue order within a level. */
  requirements: RequirementResult[];
}

export function emptyCounts(): Record<RequirementVerdict, number> {
  return { PASS: 0, FAIL: 0, ERROR: 0, 'NOT APPLICABLE': 0, SKIPPED: 0 };
}

function roleOf(s: ScenarioRecord): 'server' | 'bot' {
  return s.tags.includes('@client') ? 'bot' : 'server';
}

function scenarioResult(s: ScenarioRecord): ScenarioResult {
  const run = s.run;
  const r: ScenarioResult = { name: s.name, uri: s.uri, line: s.line, status: run?.status ?? 'not applicable' };
  if (!run) return r;
  if (run.failedStep) r.failedStep = run.failedStep;
  if (run.message) r.message = run.message;
  if (run.status === 'not applicable') {
    const reason = notApplicableReason(run);
    if (reason) r.reason = reason;
  }
  if (run.status === 'failed' || run.status === 'error') {
    const evidence = run.attachments.find((a) => a.mediaType === EVIDENCE_MEDIA_TYPE);
    if (evidence) r.evidence = evidence.body;
  }
  return r;
}

function judge(req: Requirement, all: ScenarioRecord[], role: 'server' | 'bot', run: ConformanceReport['run']): Pick<RequirementResult, 'verdict' | 'reason' | 'scenarios'> {
  const tagged = all.filter((s) => s.tags.includes(`@${req.id}`));
  const executed = tagged.filter((s) => s.run);
  const scenarios = executed.map(scenarioResult);
  const count = (st: ScenarioStatus) => scenarios.filter((s) => s.status === st).length;
  if (count('error') > 0) return { verdict: 'ERROR', reason: `${count('error')} scenario(s) could not be judged (a suite or configuration problem)`, scenarios };
  if (count('failed') > 0) return { verdict: 'FAIL', reason: `${count('failed')} of ${scenarios.length} scenario(s) failed`, scenarios };
  if (count('passed') > 0) return { verdict: 'PASS', reason: `${count('passed')} scenario(s) passed${count('not applicable') > 0 ? `, ${count('not applicable')} not applicable` : ''}`, scenarios };
  if (scenarios.length > 0) return { verdict: 'NOT APPLICABLE', reason: scenarios.find((s) => s.reason)?.reason ?? 'every scenario was skipped as not applicable to this target', scenarios };
  if (tagged.length > 0 && tagged.every((s) => roleOf(s) !== role)) {
    return { verdict: 'NOT APPLICABLE', reason: `its scenarios test a ${role === 'server' ? 'bot' : 'server'}; this target is a ${role}`, scenarios };
  }
  if (run.verdict === 'skipped') return { verdict: 'SKIPPED', reason: `the run was skipped: ${run.reason}`, scenarios };
  if (run.verdict === 'error') return { verdict: 'ERROR', reason: `the run did not execute its scenarios: ${run.reason}`, scenarios };
  if (tagged.length === 0) return { verdict: 'SKIPPED', reason: 'no scenario in the corpus carries this requirement', scenarios };
  return { verdict: 'SKIPPED', reason: 'not selected by this run (--tags)', scenarios };
}

export function conformanceReport(catalogue: Catalogue, model: RunModel, manifest: RunManifest, run: ConformanceReport['run']): ConformanceReport {
  const role = manifest.target.role;
  const requirements: RequirementResult[] = catalogue.requirements
    .filter((r) => !r.retired)
    .map((r) => ({ id: r.id, area: r.area, level: r.level, statement: r.statement, source: r.source, ...judge(r, model.scenarios, role, run) }))
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  const totals = emptyCounts();
  const mustTotals = emptyCounts();
  for (const r of requirements) {
    totals[r.verdict] += 1;
    if (r.level === 'MUST') mustTotals[r.verdict] += 1;
  }
  const areas: AreaResult[] = Object.entries(catalogue.areas).map(([area, info]) => {
    const counts = emptyCounts();
    for (const r of requirements) if (r.area === area) counts[r.verdict] += 1;
    return { area, title: info.title, counts };
  }).filter((a) => Object.values(a.counts).some((n) => n > 0));
  return {
    schema: CONFORMANCE_SCHEMA,
    manifest,
    run,
    totals,
    mustTotals,
    mustsWithoutExecutedScenario: requirements.filter((r) => r.level === 'MUST' && (r.verdict === 'SKIPPED' || (r.verdict === 'ERROR' && r.scenarios.length === 0))).map((r) => r.id),
    areas,
    requirements,
  };
}
