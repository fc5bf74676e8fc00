// Reads a V8 CPU profile (.cpuprofile: `node --cpu-prof`, or the bench's
// --profile) and lists where the time went: self time per function, and the
// inclusive time of every function (itself and what it called), heaviest
// first. Enough to find the hot path without a browser:
//   node --import tsx harness/bench/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  name: string;
  selfMs: number;
  totalMs: number;
}

export function summariseProfile(profile: CpuProfile): { totalMs: number; functions: FunctionCost[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const costs = new Map<string, { self: number; total: number }>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    const leaf = byId.get(id);
    if (!leaf) continue;
    entry(costs, label(leaf)).self += us;
    // Inclusive time: once per distinct function on the sample's stack (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node) break;
      const name = label(node);
      if (seen.has(name)) continue;
      seen.add(name);
      entry(costs, name).total += us;
    }
  }
  const functions = [...costs].map(([name, c]) => ({ name, selfMs: c.self / 1000, totalMs: c.total / 1000 }));
  return { totalMs: totalUs / 1000, functions };
}

function entry(costs: Map<string, { self: number; total: number }>, name: string): { self: number; total: number } {
  let e = costs.get(name);
  if (!e) costs.set(name, (e = { self: 0, total: 0 }));
  return e;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? url.replace(/^file:\/\//, '').split('/node_modules/').pop() ?? url : '';
  return `${functionName || '(anonymous)'}${file ? ` ${path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file)}:${lineNumber + 1}` : ''}`;
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const { totalMs, functions } = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const n = Number(top);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)} %`;
  process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n\nself time\n`);
  for (const f of [...functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, n)) process.stdout.write(`${pct(f.selfMs)}  ${f.name}\n`);
  process.stdout.write('\ninclusive time\n');
  for (const f of [...functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, n)) process.stdout.write(`${pct(f.totalMs)}  ${f.name}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
