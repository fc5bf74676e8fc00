// What the static report pages share: escaping, the page frame with its
// (inline, offline) style sheet, and the verdict badge. The pages load
// nothing from outside, so a report bundle opens from disk or a CI artifact.
import type { RequirementVerdict } from './conformance.js';

export function esc(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A verdict as a CSS class name: "NOT APPLICABLE" → "not-applicable". */
export function verdictClass(v: RequirementVerdict | string): string {
  return v.toLowerCase().replace(/[^a-z]+/g, '-');
}

export function badge(v: RequirementVerdict, href?: string): string {
  const inner = `<span class="badge ${verdictClass(v)}" data-verdict="${esc(v)}">${esc(v)}</span>`;
  return href ? `<a href="${esc(href)}">${inner}</a>` : inner;
}

const STYLE = `
:root { --pass:#1a7f37; --fail:#cf222e; --error:#bc4c00; --na:#6e7781; --skip:#8250df; --bg:#f6f8fa; --line:#d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; }
header { padding: 20px 32px; border-bottom: 1px solid var(--line); background: var(--bg); }
main { padding: 8px 32px 48px; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; position: sticky; top: 0; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: var(--bg); border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 480px; white-space: pre-wrap; }
.badge { display: inline-block; min-width: 64px; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; text-align: center; white-space: nowrap; }
.pass { background: var(--pass); } .fail { background: var(--fail); } .error { background: var(--error); }
.not-applicable { background: var(--na); } .skipped { background: var(--skip); }
.banner { display: inline-block; padding: 6px 14px; border-radius: 6px; color: #fff; font-weight: 700; font-size: 16px; }
.banner.conformant { background: var(--pass); } .banner.not-conformant { background: var(--fail); }
.banner.error { background: var(--error); } .banner.skipped, .banner.no-claim { background: var(--skip); }
.meta td:first-child { color: #59636e; width: 160px; } .meta { width: auto; }
.counts span { margin-right: 12px; }
.level { font-weight: 600; font-size: 12px; } .level.MUST { color: var(--fail); }
.warn { border-left: 4px solid var(--fail); background: #fff5f5; padding: 8px 12px; margin: 12px 0; }
details > summary { cursor: pointer; }
.scenario { margin: 6px 0 10px 12px; }
.muted { color: #59636e; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
`;

export function page(title: string, header: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>${header}</header>
<main>${body}</main>
</body>
</html>
`;
}
