// A target's expectations file (docs/contract/expectations.schema.json): the
// deviations its implementation is known to have. Judging a run against it
// works in both directions — a failure nobody listed fails the run, and so
// does a listed deviation whose scenarios now all pass (the entry is stale;
// remove it), as OIDF's expected-failures and rustls's exceptions files do.
import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { ConfigurationError, configurationError } from '../target/errors.js';
import { displayPath } from '../target/load-target.js';
import { PROJECT_ROOT, schemaErrors } from '../target/schema.js';
import type { ScenarioOutcome } from './outcomes.js';

const SCHEMA_FILE = `${PROJECT_ROOT}/docs/contract/expectations.schema.json`;
const MAX_BYTES = 1024 * 1024;

export interface Deviation {
  /** Position in the file, for messages (`deviations[3]`). */
  index: number;
  scenario?: string;
  requirement?: string;
  reason: string;
  issue?: string;
}

let validate: ValidateFunction | undefined;

/** Reads and checks an expectations file; every problem names the file and the field. */
export function loadExpectations(file: string): Deviation[] {
  const shown = displayPath(file);
  let doc: unknown;
  try {
    const size = statSync(file).size;
    if (size > MAX_BYTES) throw new Error(`${size} bytes, more than the ${MAX_BYTES} an expectations file may have`);
    doc = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 0, uniqueKeys: true });
  } catch (e) {
    throw configurationError(shown, `cannot read the expectations file: ${(e as Error).message.split('\n')[0]}`);
  }
  validate ??= new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  if (!validate(doc)) {
    throw new ConfigurationError(schemaErrors(validate.errors ?? []).map((line) => {
      const colon = line.indexOf(': ');
      return { where: `${shown}: ${line.slice(0, colon)}`, what: line.slice(colon + 2) };
    }));
  }
  const entries = (doc as { deviations: Omit<Deviation, 'index'>[] }).deviations;
  const bare = entries.findIndex((d) => d.scenario === undefined && d.requirement === undefined);
  if (bare >= 0) throw configurationError(`${shown}: deviations[${bare}]`, 'names neither a scenario nor a requirement');
  return entries.map((d, index) => ({ ...d, index }));
}

/** Whether a deviation names this scenario: by `<uri>:<line>` or name, and/or by a requirement tag (both must match when both are given). */
export function matches(deviation: Deviation, outcome: ScenarioOutcome): boolean {
  if (deviation.scenario !== undefined) {
    const byLine = outcome.lines.some((l) => `${outcome.uri}:${l}` === deviation.scenario);
    if (!byLine && outcome.name !== deviation.scenario) return false;
  }
  if (deviation.requirement !== undefined && !outcome.tags.includes(`@${deviation.requirement}`)) return false;
  return true;
}

export interface Judgement {
  passed: ScenarioOutcome[];
  notApplicable: ScenarioOutcome[];
  /** Failures no deviation lists. */
  failed: ScenarioOutcome[];
  expectedFailures: { outcome: ScenarioOutcome; deviation: Deviation }[];
  /** Listed deviations whose scenarios ran and all passed. */
  unexpectedPasses: Deviation[];
  /** Listed deviations no executed scenario matched (a filtered run, or a capability the target lacks). */
  notExercised: Deviation[];
}

export function judge(outcomes: readonly ScenarioOutcome[], deviations: readonly Deviation[]): Judgement {
  const j: Judgement = { passed: [], notApplicable: [], failed: [], expectedFailures: [], unexpectedPasses: [], notExercised: [] };
  for (const o of outcomes) {
    if (o.status === 'passed') j.passed.push(o);
    else if (o.status === 'not applicable') j.notApplicable.push(o);
    else {
      const deviation = deviations.find((d) => matches(d, o));
      if (deviation) j.expectedFailures.push({ outcome: o, deviation });
      else j.failed.push(o);
    }
  }
  for (const d of deviations) {
    const ran = outcomes.filter((o) => o.status !== 'not applicable' && matches(d, o));
    if (ran.length === 0) j.notExercised.push(d);
    else if (ran.every((o) => o.status === 'passed')) j.unexpectedPasses.push(d);
  }
  return j;
}
