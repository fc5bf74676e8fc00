// From executed scenarios to a verdict per requirement and a table per area:
// a requirement passes when every executed scenario tagged with it passed,
// fails when one of them failed, and is "not executed" when none ran.
import type { Catalogue, RequirementLevel } from '../catalogue/catalogue.js';

export interface Execution {
  name: string;
  uri: string;
  tags: string[];
  status: 'passed' | 'failed' | 'skipped';
}

export type Verdict = 'pass' | 'fail' | 'not executed';

export interface AreaSummary {
  area: string;
  title: string;
  scenarios: { total: number; passed: number; failed: number; skipped: number };
  levels: Record<RequirementLevel, { total: number; pass: number; fail: number; notExecuted: number }>;
}

export function requirementVerdicts(catalogue: Catalogue, executions: Execution[]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  for (const r of catalogue.requirements) {
    if (r.retired) continue;
    const runs = executions.filter((e) => e.tags.includes(`@${r.id}`) && e.status !== 'skipped');
    verdicts.set(r.id, runs.length === 0 ? 'not executed' : runs.every((e) => e.status === 'passed') ? 'pass' : 'fail');
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
  const rows = [['area', 'title', 'scenarios', 'passed', 'failed', 'MUST pass', 'SHOULD pass', 'MAY pass']];
  for (const a of areas) {
    const l = a.levels;
    rows.push([
      a.area, a.title, String(a.scenarios.total), String(a.scenarios.passed), String(a.scenarios.failed),
      `${l.MUST.pass}/${l.MUST.total}`, `${l.SHOULD.pass}/${l.SHOULD.total}`, `${l.MAY.pass}/${l.MAY.total}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** Conformant: every MUST executed and passing, and no scenario failed. */
export function verdictLine(areas: AreaSummary[]): { conformant: boolean; text: string } {
  const must = areas.reduce((acc, a) => ({ pass: acc.pass + a.levels.MUST.pass, total: acc.total + a.levels.MUST.total, fail: acc.fail + a.levels.MUST.fail }), { pass: 0, total: 0, fail: 0 });
  const failed = areas.reduce((n, a) => n + a.scenarios.failed, 0);
  const conformant = must.pass === must.total && failed === 0;
  const text = conformant
    ? `CONFORMANT: all ${must.total} MUST requirements passed`
    : `NOT CONFORMANT: ${must.pass}/${must.total} MUST requirements passed, ${must.fail} failed, ${must.total - must.pass - must.fail} not executed; ${failed} scenario(s) failed`;
  return { conformant, text };
}
