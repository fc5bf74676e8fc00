// The matrix as a static page: one column per run (target and launch mode),
// one row per requirement grouped by area with MUSTs first; a cell links to
// the requirement in that run's conformance page.
import type { Matrix } from './matrix.js';
import { VERDICTS } from './conformance.js';
import { badge, esc, page } from './html.js';

export function renderMatrixPage(m: Matrix): string {
  const head = `<tr><th>requirement</th><th>level</th>${m.runs.map((r, i) => `<th data-run="${i}"><a href="${esc(r.page)}">${esc(r.target)}</a><br><span class="muted">${esc(r.mode)} · ${esc(r.startedAt.slice(0, 16).replace('T', ' '))}</span><br>${esc(r.headline)}</th>`).join('')}</tr>`;
  const must = `<tr class="must-totals"><td colspan="2">MUST verdicts</td>${m.runs.map((r) => `<td>${VERDICTS.filter((v) => r.mustTotals[v] > 0).map((v) => `${badge(v)} ${r.mustTotals[v]}`).join('<br>')}</td>`).join('')}</tr>`;
  const body: string[] = [];
  for (const a of m.areas) {
    body.push(`<tr><th colspan="${m.runs.length + 2}" id="area-${esc(a.area)}">${esc(a.title)} (${esc(a.area)})</th></tr>`);
    for (const row of m.rows.filter((r) => r.area === a.area)) {
      const cells = row.verdicts.map((v, i) => `<td>${badge(v, `${m.runs[i]?.page ?? ''}#req-${row.id}`)}</td>`).join('');
      body.push(`<tr data-requirement="${esc(row.id)}"><td title="${esc(row.statement)}"><code>${esc(row.id)}</code> <span class="muted">${esc(row.statement.slice(0, 110))}${row.statement.length > 110 ? '…' : ''}</span></td><td><span class="level ${esc(row.level)}">${esc(row.level)}</span></td>${cells}</tr>`);
    }
  }
  const header = `<h1>Bound Keypair conformance matrix</h1><p class="muted">${m.runs.length} run(s), ${m.rows.length} requirements · generated ${esc(m.generatedAt)}</p>`;
  return page('Bound Keypair conformance matrix', header, `<table id="matrix"><thead>${head}</thead><tbody>${must}${body.join('\n')}</tbody></table>`);
}
