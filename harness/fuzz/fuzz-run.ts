// One fuzz run: starts the server under fuzz, runs each property for the
// asked number of cases with fast-check (shrinking a failure to a small
// counterexample), then checks that the server still serves an honest
// client. Returns a report per property; the CLI prints it.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { honestJoin } from '../../reference/auth/testing/join-test-client.js';
import { control } from '../../reference/auth/testing/control.js';
import { DEFAULTS } from '../../reference/auth/auth-server.js';
import { startFuzzTarget } from './fixture.js';
import type { FuzzTarget } from './fixture.js';
import { ProcessGuard } from './process-guard.js';
import { ConnectionPool } from './connection-pool.js';
import { Outcomes } from './outcomes.js';
import { frameCase, messageCase } from './join-arbitraries.js';
import { checkJoinCase } from './join-property.js';
import type { CaseContext } from './case-context.js';
import { controlCase } from './control-arbitraries.js';
import { checkControlCase } from './control-property.js';

export interface FuzzOptions {
  /** Cases in all, shared evenly by the properties run. */
  runs: number;
  seed: number;
  /** Only these properties (all when empty). */
  only: string[];
  /** Longest wait for one answer of the server before a case counts as hung. */
  answerTimeoutMs: number;
  detailedOutcomes: boolean;
  progress?: (line: string) => void;
}

export interface PropertyReport {
  name: string;
  cases: number;
  /** Cases run including the reruns of shrinking. */
  executions: number;
  ms: number;
  outcomes: [string, number][];
  finding?: { counterexample: string; error: string; shrinks: number; path: string };
}

export interface FuzzReport {
  seed: number;
  properties: PropertyReport[];
  /** Problems outside any one case: the server no longer serving, errors after the last case. */
  afterwards: string[];
  ms: number;
}

interface PropertyDef {
  name: string;
  what: string;
  arbitrary: Arbitrary<unknown>;
  check: (ctx: CaseContext, value: unknown) => Promise<void>;
}

/** A property: cases from `arbitrary`, each judged by `check` (which throws on a finding). */
function property<T>(name: string, what: string, arbitrary: Arbitrary<T>, check: (ctx: CaseContext, value: T) => Promise<void>): PropertyDef {
  return { name, what, arbitrary, check: (ctx, value) => check(ctx, value as T) };
}

export const PROPERTIES: PropertyDef[] = [
  property('join-messages', 'join streams: honest prefixes, then mutated, arbitrary, misordered messages and early ends', messageCase, checkJoinCase),
  property('join-frames', 'join streams: truncated, oversized, mislabelled and garbage gRPC frames', frameCase, checkJoinCase),
  property('control-api', 'control API: malformed bodies, wrong types, unknown fields, huge bodies, bad paths and queries', controlCase, checkControlCase),
];

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const guard = new ProcessGuard();
  guard.install();
  const target = await startFuzzTarget();
  const properties: PropertyReport[] = [];
  const afterwards: string[] = [];
  try {
    const selected = PROPERTIES.filter((p) => opts.only.length === 0 || opts.only.includes(p.name));
    const perProperty = Math.max(1, Math.ceil(opts.runs / selected.length));
    for (const def of selected) {
      opts.progress?.(`${def.name}: ${def.what} (${perProperty} cases)`);
      properties.push(await runProperty(def, perProperty, target, guard, opts));
    }
    afterwards.push(...(await stillServes(target)), ...guard.take());
  } finally {
    await target.close();
    guard.uninstall();
  }
  return { seed: opts.seed, properties, afterwards, ms: Date.now() - started };
}

async function runProperty(def: PropertyDef, runs: number, target: FuzzTarget, guard: ProcessGuard, opts: FuzzOptions): Promise<PropertyReport> {
  const connections = new ConnectionPool(target.server);
  const ctx: CaseContext = {
    target, guard, outcomes: new Outcomes(), detailedOutcomes: opts.detailedOutcomes,
    driver: { answerTimeoutMs: opts.answerTimeoutMs, maxMessageBytes: DEFAULTS.maxMessageBytes, connections },
  };
  let executions = 0;
  const started = Date.now();
  const property = fc.asyncProperty(def.arbitrary, async (value) => {
    executions++;
    if (opts.progress && executions % 1_000 === 0) opts.progress(`  ${def.name}: ${executions} cases`);
    await def.check(ctx, value);
  });
  const details = await fc.check(property, { numRuns: runs, seed: opts.seed }).finally(() => connections.closeAll());
  const report: PropertyReport = { name: def.name, cases: details.numRuns, executions, ms: Date.now() - started, outcomes: ctx.outcomes.entries() };
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    report.finding = {
      counterexample: fc.stringify(details.counterexample?.[0]),
      error,
      shrinks: details.numShrinks,
      path: details.counterexamplePath ?? '',
    };
    // A failing case may have left the store changed: later properties start clean.
    await target.reseed();
  }
  return report;
}

/** After all that, an honest bot still joins and the control API still answers. */
async function stillServes(target: FuzzTarget): Promise<string[]> {
  const problems: string[] = [];
  await target.reseed();
  const fixture = target.tokens.find((t) => t.name === 'fz-key');
  const joined = await honestJoin(target.server, { token: 'fz-key', keys: [...(fixture?.keys ?? [])] });
  if (joined.code !== 'OK') problems.push(`an honest join failed after the run: ${joined.code} ${joined.details}`);
  const health = await control(target.server, 'GET', 'health');
  if (health.status !== 200) problems.push(`GET health answered ${health.status} after the run`);
  return problems;
}
