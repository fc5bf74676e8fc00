// From executed scenarios to a verdict per requirement and a table per area:
// a requirement passes when every executed scenario tagged with it passed,
// fails when one of them failed, is "not applicable" when all its scenarios
// were skipped (the target does not declare a capability they need), and
// "not executed" when none ran at all.
import type { Catalogue, RequirementLevel } from '../catalogue/catalogue.js';

export interface Execution {
  name: string;
  uri: string;
  tags: string[];
  status: 'passed' | 'failed' | 'skipped';
}

export type Verdict = 'pass' | 'fail' | 'not applicable' | 'not executed';

export interface AreaSummary {
  area: string;
  title: string;
  scenarios: { total: number; passed: number; failed: number; skipped: number };
  levels: Record<RequirementLevel, { total: number; pass: number; fail: number; notApplicable: number; notExecuted: number }>;
}

export function requirementVerdicts(catalogue: Catalogue, executions: Execution[]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  for (const r of catalogue.requirements) {
    if (r.retired) continue;
    const tagged = executions.filter((e) => e.tags.includes(`@${r.id}`));
    const runs = tagged.filter((e) => e.status !== 'skipped');
    const verdict: Verdict =
      runs.length > 0 ? (runs.every((e) => e.status === 'passed') ? 'pass' : 'fail') : tagged.length > 0 ? 'not applicable' : 'not executed';
    verdicts.set(r.id, verdict);
  }
  return verdicts;
}

export function summariseByArea(catalogue: Catalogue, executions: Execution[]): AreaSummary[] {
  const verdicts = requirementVerdicts(catalogue, executions);
  const areas: AreaSummary[] = [];
  for (const [area, info] of Object.entries(catalogue.areas)) {
    const requirements = catalogue.requirements.filter((r) => r.area === area && !r.retired);
    if (requirements.length === 0) continue;
    const inArea = executions.filter((e) => e.tags.some((t) => t.startsWith(`@BKP-${area}-`)));
    const levels = {} as AreaSummary['levels'];
    for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
      const ofLevel = requirements.filter((r) => r.level === level).map((r) => verdicts.get(r.id));
      levels[level] = {
        total: ofLevel.length,
        pass: ofLevel.filter((v) => v === 'pass').length,
        fail: ofLevel.filter((v) => v === 'fail').length,
        notApplicable: ofLevel.filter((v) => v === 'not applicable').length,
        notExecuted: ofLevel.filter((v) => v === 'not executed').length,
      };
    }
    areas.push({
      area,
      title: info.title,
      scenarios: {
        total: inArea.length,
        passed: inArea.filter((e) => e.status === 'passed').length,
        failed: inArea.filter((e) => e.status === 'failed').length,
        skipped: inArea.filter((e) => e.status === 'skipped').length,
      },
      levels,
    });
  }
  return areas;
}

export function formatAreaTable(areas: AreaSummary[]): string {
  const rows = [['area', 'title', 'scenarios', 'passed', 'failed', 'n/a', 'MUST pass', 'SHOULD pass', 'MAY pass']];
  for (const a of areas) {
    const l = a.levels;
    rows.push([
      a.area, a.title, String(a.scenarios.total), String(a.scenarios.passed), String(a.scenarios.failed), String(a.scenarios.skipped),
      `${l.MUST.pass}/${l.MUST.total}`, `${l.SHOULD.pass}/${l.SHOULD.total}`, `${l.MAY.pass}/${l.MAY.total}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/**
 * Conformant: no scenario failed and every MUST passed or is not applicable
 * to this target. A MUST that no scenario exercised at all (a filtered run)
 * means the run cannot claim conformance.
 */
export function verdictLine(areas: AreaSummary[]): { conformant: boolean; text: string } {
  const must = { pass: 0, total: 0, fail: 0, notApplicable: 0, notExecuted: 0 };
  for (const a of areas) {
    for (const k of ['pass', 'total', 'fail', 'notApplicable', 'notExecuted'] as const) must[k] += a.levels.MUST[k];
  }
  const failed = areas.reduce((n, a) => n + a.scenarios.failed, 0);
  const conformant = failed === 0 && must.fail === 0 && must.notExecuted === 0;
  const na = must.notApplicable > 0 ? `, ${must.notApplicable} not applicable to this target` : '';
  // Nothing failed but some MUSTs were outside the run (a tag filter, or the
  // other role's areas: a server run leaves the client areas out): no claim
  // either way, and saying "not conformant" would contradict the scenarios.
  const incomplete = failed === 0 && must.fail === 0 && must.notExecuted > 0;
  const text = conformant
    ? `CONFORMANT: ${must.pass}/${must.total} MUST requirements passed${na}`
    : incomplete
      ? `NO CLAIM (partial run): ${must.pass}/${must.total} MUST requirements passed, 0 failed${na}, ${must.notExecuted} not executed by this selection`
      : `NOT CONFORMANT: ${must.pass}/${must.total} MUST requirements passed, ${must.fail} failed${na}, ${must.notExecuted} not executed; ${failed} scenario(s) failed`;
  return { conformant, text };
}
