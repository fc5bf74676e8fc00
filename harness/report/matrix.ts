// Several runs side by side (matrix.json, matrix.html): requirements × targets,
// each cell the requirement's verdict in that run, linking to the run's own
// page. Built only from the runs' conformance.json files, so runs from other
// machines (CI artifacts) combine as well as local ones.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RequirementLevel } from '../catalogue/catalogue.js';
import type { ConformanceReport, RequirementVerdict } from './conformance.js';
import { CONFORMANCE_SCHEMA, emptyCounts } from './conformance.js';
import { headline } from './conformance-page.js';

export const MATRIX_SCHEMA = 'bkp-conformance-matrix/1';

export interface MatrixRun {
  runId: string;
  target: string;
  role: 'server' | 'bot';
  mode: string;
  implementation?: string;
  startedAt: string;
  headline: string;
  mustTotals: Record<RequirementVerdict, number>;
  /** The run's conformance page, relative to the matrix page. */
  page: string;
}

export interface MatrixRow {
  id: string;
  area: string;
  level: RequirementLevel;
  statement: string;
  verdicts: RequirementVerdict[];
}

export interface Matrix {
  schema: typeof MATRIX_SCHEMA;
  generatedAt: string;
  runs: MatrixRun[];
  areas: { area: string; title: string }[];
  rows: MatrixRow[];
}

export function readConformance(runDir: string): ConformanceReport {
  const file = path.join(runDir, 'conformance.json');
  if (!existsSync(file)) throw new Error(`${runDir}: no conformance.json (is it a run directory written by bkp run?)`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
  if (report.schema !== CONFORMANCE_SCHEMA) throw new Error(`${file}: schema ${JSON.stringify(report.schema)}, expected ${CONFORMANCE_SCHEMA}`);
  return report;
}

export function buildMatrix(runs: { dir: string; report: ConformanceReport }[], outDir: string, areaTitles: Record<string, string>): Matrix {
  const rows = new Map<string, MatrixRow>();
  const matrixRuns: MatrixRun[] = runs.map(({ dir, report }, i) => {
    for (const r of report.requirements) {
      const row = rows.get(r.id) ?? { id: r.id, area: r.area, level: r.level, statement: r.statement, verdicts: [] };
      row.verdicts[i] = r.verdict;
      rows.set(r.id, row);
    }
    const m = report.manifest;
    return {
      runId: m.runId, target: m.target.name, role: m.target.role, mode: m.target.mode,
      ...(m.target.implementation ? { implementation: m.target.implementation } : {}),
      startedAt: m.startedAt, headline: headline(report).text,
      mustTotals: { ...emptyCounts(), ...report.mustTotals },
      page: path.relative(outDir, path.join(dir, 'conformance.html')).split(path.sep).join('/'),
    };
  });
  // A requirement a run's catalogue did not know (an older suite) is SKIPPED there.
  for (const row of rows.values()) for (let i = 0; i < runs.length; i++) row.verdicts[i] ??= 'SKIPPED';
  const levelOrder: Record<RequirementLevel, number> = { MUST: 0, SHOULD: 1, MAY: 2 };
  const areaOrder = Object.keys(areaTitles);
  const sorted = [...rows.values()].sort((a, b) => areaOrder.indexOf(a.area) - areaOrder.indexOf(b.area) || levelOrder[a.level] - levelOrder[b.level] || a.id.localeCompare(b.id));
  const areas = [...new Set(sorted.map((r) => r.area))].map((area) => ({ area, title: areaTitles[area] ?? area }));
  return { schema: MATRIX_SCHEMA, generatedAt: new Date().toISOString(), runs: matrixRuns, areas, rows: sorted };
}
