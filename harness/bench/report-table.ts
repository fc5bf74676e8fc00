// The readable side of a benchmark report: fixed-width tables on stdout.
import type { BenchReport } from './report-file.js';
import { PRIMITIVES } from './crypto-ceiling.js';

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const pct = (ratio: number) => (Number.isFinite(ratio) ? `${(100 * ratio).toFixed(0)} %` : '-');
const load = (l: readonly number[]) => l.map((v) => v.toFixed(2)).join(' ');

export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`bench ${r.startedAt}  ${r.machine.cpuModel} × ${r.machine.cpus}, Node ${r.machine.node}, ${'commit' in r.machine.git ? `${r.machine.git.commit.slice(0, 12)}${r.machine.git.dirty ? ' (modified)' : ''}` : r.machine.git.error}`);
  const pinning = r.pinning.pinned ? `server on CPU ${r.pinning.serverCpu}, load generator on CPU ${r.pinning.generatorCpu}` : `none (${r.pinning.reason})`;
  out.push(`${r.joins ? `pinning: ${pinning}; store ${r.options.store}; ` : ''}load average ${load(r.loadAverage.start)} at start, ${load(r.loadAverage.end)} at end`);
  if (r.joins) {
    const c = r.joins.ceiling;
    out.push('', 'crypto-only ceiling (server process, CPU time per call)');
    out.push(formatTable(['primitive', 'µs CPU', 'µs wall', 'calls'], PRIMITIVES.map((p) => [p, f(c.primitives[p].cpuMicrosPerCall, 0), f(c.primitives[p].wallMicrosPerCall, 0), String(c.primitives[p].iterations)])));
    out.push('', 'joins over gRPC + TLS (one connection per join, as a bot dials)');
    out.push(formatTable(
      ['operation', 'clients', 'joins', 'joins/s', 'p50 ms', 'p95 ms', 'p99 ms', 'srv CPU', 'ms CPU/join', 'ceiling/s', 'ratio', 'CPU ratio', 'gen CPU', 'failed', 'load'],
      r.joins.figures.map((x) => [
        x.operation, String(x.clients), String(x.ok) + (x.exhausted ? '*' : ''), f(x.joinsPerSecond), f(x.latency.p50Ms), f(x.latency.p95Ms), f(x.latency.p99Ms),
        `${f(x.serverCpuPercent, 0)} %`, f(x.serverCpuMsPerJoin, 2), f(x.ceilingJoinsPerSecond, 0), pct(x.ratioToCeiling), pct(x.cpuRatioToCeiling),
        `${f(x.generatorCpuPercent, 0)} %`, String(x.failed), load(x.loadAverage.end),
      ]),
    ));
    if (r.joins.figures.some((x) => x.exhausted)) out.push('* the seeded pool ran out before the time was up');
    for (const x of r.joins.figures.filter((y) => y.failed > 0)) out.push(`failures, ${x.operation} × ${x.clients}: ${JSON.stringify(x.errors)}`);
  }
  out.push('', `conformance suite: ${r.suite ? ('skipped' in r.suite ? `SKIPPED (${r.suite.reason})` : `${f(r.suite.wallMs / 1000)} s wall, exit ${r.suite.exitCode}, ${r.suite.verdict ?? 'no summary'} ${JSON.stringify(r.suite.counts ?? {})}, load ${load(r.suite.loadAverage.end)}`) : 'not run (--suite)'}`);
  const ct = r.container;
  out.push(`container start-to-ready: ${!ct ? 'not run (--no-container)' : ct.skipped ? `SKIPPED (${ct.reason})` : ct.runs.map((x) => `${f(x.createToReadyMs / 1000, 2)} s`).join(', ') + ` (${ct.image})`}`);
  return out.join('\n');
}
