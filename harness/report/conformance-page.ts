// One run's conformance report as a static page (conformance.html): the
// verdict and what it was measured against, failures first with their step,
// message and evidence a click away, then every requirement by area with MUSTs
// first and the scenarios that exercised it.
import type { ConformanceReport, RequirementResult, ScenarioResult } from './conformance.js';
import { VERDICTS } from './conformance.js';
import { badge, esc, page, verdictClass } from './html.js';

/** The claim the page leads with. A run with nothing failed but MUSTs left unexercised claims nothing. */
export function headline(r: ConformanceReport): { text: string; cls: string } {
  const v = r.run.verdict;
  if (v === 'skipped') return { text: 'SKIPPED', cls: 'skipped' };
  if (v === 'error') return { text: 'ERROR', cls: 'error' };
  if (v === 'not conformant') return { text: 'NOT CONFORMANT', cls: 'not-conformant' };
  if (r.mustsWithoutExecutedScenario.length > 0) return { text: 'NO CLAIM (partial run)', cls: 'no-claim' };
  return { text: 'CONFORMANT', cls: 'conformant' };
}

function duration(from: string, to: string | undefined): string {
  if (!to) return '';
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(s) ? `${s.toFixed(1)} s` : '';
}

function counts(c: Record<string, number>): string {
  return `<span class="counts">${VERDICTS.map((v) => `<span>${badge(v)} ${c[v] ?? 0}</span>`).join('')}</span>`;
}

function scenarioBlock(s: ScenarioResult): string {
  const where = `<code>${esc(s.uri)}:${s.line}</code>`;
  const status = `<span class="badge ${verdictClass(s.status === 'passed' ? 'PASS' : s.status === 'failed' ? 'FAIL' : s.status === 'error' ? 'ERROR' : 'NOT APPLICABLE')}">${esc(s.status)}</span>`;
  const parts = [`<div class="scenario" data-scenario="${esc(s.name)}">${status} ${esc(s.name)} <span class="muted">${where}</span>`];
  if (s.failedStep) parts.push(`<div>failed at: <code class="failed-step">${esc(s.failedStep)}</code></div>`);
  if (s.message) parts.push(`<pre class="message">${esc(s.message)}</pre>`);
  if (s.reason) parts.push(`<div class="muted">${esc(s.reason)}</div>`);
  if (s.evidence) parts.push(`<details class="evidence"><summary>evidence: join messages and control API calls (redacted)</summary><pre>${esc(s.evidence)}</pre></details>`);
  parts.push('</div>');
  return parts.join('\n');
}

function requirementRow(r: RequirementResult): string {
  const open = r.verdict === 'FAIL' || r.verdict === 'ERROR' ? ' open' : '';
  const scenarios = r.scenarios.length > 0 ? r.scenarios.map(scenarioBlock).join('\n') : '<div class="scenario muted">no scenario executed</div>';
  return `<tr id="req-${esc(r.id)}" data-requirement="${esc(r.id)}" data-verdict="${esc(r.verdict)}">
<td><code>${esc(r.id)}</code></td><td><span class="level ${esc(r.level)}">${esc(r.level)}</span></td>
<td><details${open}><summary>${esc(r.statement)}</summary><div class="muted">${esc(r.reason)} · source: ${esc(r.source)}</div>${scenarios}</details></td>
<td>${badge(r.verdict)}</td><td>${r.scenarios.length}</td></tr>`;
}

export function renderConformancePage(r: ConformanceReport, links: { cucumberHtml?: string; junit?: string; messages?: string } = {}): string {
  const m = r.manifest;
  const h = headline(r);
  const meta: [string, string][] = [
    ['target', `${m.target.name} (${m.target.role}, ${m.target.mode}) — ${m.target.file}`],
    ['implementation', m.target.implementation ?? ''],
    ['suite', `${m.suite.name} ${m.suite.version} @ ${m.suite.commit.slice(0, 12)}${m.suite.commit.endsWith('+dirty') ? '+dirty' : ''}`],
    ['catalogue', `sha256 ${m.catalogue.hash.slice(0, 16)}…`],
    ['selection', m.tags], ['seed', m.seed],
    ['started', m.startedAt], ['duration', duration(m.startedAt, m.endedAt)],
    ['run', `${r.run.verdict}: ${r.run.reason} (exit ${r.run.exitCode})`],
  ];
  const header = `<h1>Bound Keypair conformance: ${esc(m.target.name)}</h1>
<div><span class="banner ${h.cls}" id="verdict">${esc(h.text)}</span></div>
<table class="meta">${meta.filter(([, v]) => v).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>
<p>${[links.cucumberHtml ? `<a href="${esc(links.cucumberHtml)}">every scenario and step (Cucumber report)</a>` : '', links.junit ? `<a href="${esc(links.junit)}">JUnit XML</a>` : '', links.messages ? `<a href="${esc(links.messages)}">message stream (NDJSON)</a>` : ''].filter(Boolean).join(' · ')}</p>`;

  const failing = r.requirements.filter((q) => q.verdict === 'FAIL' || q.verdict === 'ERROR');
  const sections: string[] = [];
  sections.push(`<h2>Requirements</h2><p id="totals">all ${counts(r.totals)}</p><p id="must-totals">MUST ${counts(r.mustTotals)}</p>`);
  if (failing.length > 0) {
    sections.push(`<section id="failures"><h2>Failures (${failing.length})</h2><ul>${failing.map((q) => `<li>${badge(q.verdict)} <a href="#req-${esc(q.id)}">${esc(q.id)}</a> <span class="level ${esc(q.level)}">${esc(q.level)}</span> ${esc(q.statement)}</li>`).join('')}</ul></section>`);
  }
  if (r.mustsWithoutExecutedScenario.length > 0) {
    const ids = r.mustsWithoutExecutedScenario.map((id) => `<a href="#req-${esc(id)}">${esc(id)}</a>`).join(', ');
    const title = `${r.mustsWithoutExecutedScenario.length} MUST requirement(s) without an executed scenario in this run`;
    sections.push(`<div class="warn" id="unexercised-musts"><details${r.mustsWithoutExecutedScenario.length <= 20 ? ' open' : ''}><summary><strong>${title}</strong> — a conformance claim needs them</summary>${ids}</details></div>`);
  }
  sections.push(`<h2>By area</h2><table id="areas"><thead><tr><th>area</th>${VERDICTS.map((v) => `<th>${badge(v)}</th>`).join('')}</tr></thead><tbody>${r.areas.map((a) => `<tr><td><a href="#area-${esc(a.area)}">${esc(a.title)}</a> <span class="muted">${esc(a.area)}</span></td>${VERDICTS.map((v) => `<td>${a.counts[v] || ''}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
  for (const a of r.areas) {
    const rows = r.requirements.filter((q) => q.area === a.area).map(requirementRow).join('\n');
    sections.push(`<h3 id="area-${esc(a.area)}">${esc(a.title)} <span class="muted">(${esc(a.area)})</span></h3><p>${counts(a.counts)}</p>
<table><thead><tr><th>id</th><th>level</th><th>requirement</th><th>verdict</th><th>scenarios</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  return page(`Conformance: ${m.target.name} — ${h.text}`, header, sections.join('\n'));
}
