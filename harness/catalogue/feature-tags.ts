// Reads every features/**/*.feature with the official Gherkin parser and
// reports, per pickle (a Scenario, or one Examples row of a Scenario
// Outline), which tags are its OWN (on the Scenario / Scenario Outline or on
// the Examples block the row belongs to) and which are INHERITED (from the
// Feature or an enclosing Rule). Cucumber itself merges both kinds into
// pickle.tags; the lint needs to tell them apart.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import type { Examples, Feature, GherkinDocument, Rule, Scenario, Tag } from '@cucumber/messages';

export type TagLevel = 'feature' | 'rule' | 'scenario' | 'examples';

export interface TagRef {
  /** Tag text including the leading `@`. */
  name: string;
  line: number;
  column: number;
  level: TagLevel;
}

export interface PickleTags {
  /** Feature file path as displayed (relative to the uri base, `/`-separated). */
  uri: string;
  /** Line of the Scenario, or of the Examples row for an outline pickle. */
  line: number;
  /** Line of the Scenario / Scenario Outline keyword. */
  scenarioLine: number;
  /** Pickle name (outline placeholders substituted). */
  name: string;
  /** Keyword as written: Scenario, Scenario Outline, Example, Scenario Template, ... */
  keyword: string;
  /** True when the pickle comes from an Examples row. */
  fromExamples: boolean;
  /** Tags on the Scenario / Scenario Outline and on this row's Examples block. */
  ownTags: TagRef[];
  /** Tags on the Feature and on an enclosing Rule. */
  inheritedTags: TagRef[];
}

export interface OutlineWithoutExamples {
  uri: string;
  line: number;
  name: string;
}

export interface FeatureFileTags {
  uri: string;
  /** Every tag in the file (feature, rule, scenario and examples tags), in source order. */
  tags: TagRef[];
  pickles: PickleTags[];
  /** Scenario Outlines whose Examples blocks have no rows, so they produce no pickle. */
  outlinesWithoutExamples: OutlineWithoutExamples[];
}

export interface FeatureParseFailure {
  uri: string;
  line: number;
  message: string;
}

export interface FeatureTagsResult {
  files: FeatureFileTags[];
  /** All pickles of all files, in file then source order. */
  pickles: PickleTags[];
  parseErrors: FeatureParseFailure[];
}

/** Thrown by parseFeatureSource when the Gherkin parser rejects a file. */
export class FeatureParseError extends Error {
  readonly failures: FeatureParseFailure[];

  constructor(failures: FeatureParseFailure[]) {
    super(failures.map((f) => `${f.uri}:${f.line}: ${f.message}`).join('\n'));
    this.name = 'FeatureParseError';
    this.failures = failures;
  }
}

/** All `*.feature` files below dir, recursively, sorted; skips dot-directories and node_modules. */
export function findFeatureFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.feature')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function tagRefs(tags: readonly Tag[], level: TagLevel, into: Map<string, TagRef>): TagRef[] {
  return tags.map((t) => {
    const ref: TagRef = { name: t.name, line: t.location.line, column: t.location.column ?? 1, level };
    into.set(t.id, ref);
    return ref;
  });
}

interface ScenarioInfo {
  scenario: Scenario;
  /** Examples block of each table row id. */
  rowExamples: Map<string, { examples: Examples; rowLine: number }>;
}

function parseFailures(err: unknown, uri: string): FeatureParseFailure[] {
  const e = err as { errors?: unknown[]; location?: { line?: number }; message?: string };
  const inner = Array.isArray(e.errors) && e.errors.length > 0 ? e.errors : [err];
  return inner.map((x) => {
    const ie = x as { location?: { line?: number }; message?: string };
    const message = (ie.message ?? String(x)).replace(/^\(\d+:\d+\): /, '');
    return { uri, line: ie.location?.line ?? 1, message };
  });
}

/** Parse one feature file's text. Throws FeatureParseError on a Gherkin syntax error. */
export function parseFeatureSource(source: string, uri: string): FeatureFileTags {
  const newId = IdGenerator.incrementing();
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
  let document: GherkinDocument;
  try {
    document = parser.parse(source);
  } catch (err) {
    throw new FeatureParseError(parseFailures(err, uri));
  }
  const result: FeatureFileTags = { uri, tags: [], pickles: [], outlinesWithoutExamples: [] };
  const feature: Feature | undefined = document.feature;
  if (feature === undefined) return result;

  const tagById = new Map<string, TagRef>();
  const scenarios = new Map<string, ScenarioInfo>();

  const addScenario = (scenario: Scenario): void => {
    tagRefs(scenario.tags, 'scenario', tagById);
    const rowExamples = new Map<string, { examples: Examples; rowLine: number }>();
    for (const examples of scenario.examples) {
      tagRefs(examples.tags, 'examples', tagById);
      for (const row of examples.tableBody) rowExamples.set(row.id, { examples, rowLine: row.location.line });
    }
    scenarios.set(scenario.id, { scenario, rowExamples });
    // Examples blocks without rows compile to no pickle at all: nothing runs.
    if (scenario.examples.length > 0 && rowExamples.size === 0) {
      result.outlinesWithoutExamples.push({ uri, line: scenario.location.line, name: scenario.name });
    }
  };
  const addRule = (rule: Rule): void => {
    tagRefs(rule.tags, 'rule', tagById);
    for (const child of rule.children) if (child.scenario) addScenario(child.scenario);
  };

  tagRefs(feature.tags, 'feature', tagById);
  for (const child of feature.children) {
    if (child.scenario) addScenario(child.scenario);
    else if (child.rule) addRule(child.rule);
  }
  result.tags = [...tagById.values()].sort((a, b) => a.line - b.line || a.column - b.column);

  for (const pickle of compile(document, uri, newId)) {
    const [scenarioId, rowId] = pickle.astNodeIds;
    const info = scenarioId === undefined ? undefined : scenarios.get(scenarioId);
    if (info === undefined) continue;
    const row = rowId === undefined ? undefined : info.rowExamples.get(rowId);
    const ownTags: TagRef[] = [];
    const inheritedTags: TagRef[] = [];
    for (const pt of pickle.tags) {
      const ref = tagById.get(pt.astNodeId);
      if (ref === undefined) continue;
      if (ref.level === 'scenario' || ref.level === 'examples') ownTags.push(ref);
      else inheritedTags.push(ref);
    }
    result.pickles.push({
      uri,
      line: row?.rowLine ?? info.scenario.location.line,
      scenarioLine: info.scenario.location.line,
      name: pickle.name,
      keyword: info.scenario.keyword,
      fromExamples: row !== undefined,
      ownTags,
      inheritedTags,
    });
  }
  return result;
}

function displayUri(file: string, base: string): string {
  const rel = relative(base, file);
  const shown = rel === '' || rel.startsWith('..') ? file : rel;
  return shown.split(sep).join('/');
}

export interface CollectOptions {
  /** Paths in results are shown relative to this directory (default: process.cwd()). */
  uriBase?: string;
}

/**
 * Parse every feature file below featuresDir. A file that fails to parse is
 * reported in parseErrors and contributes no pickles; the others still count.
 */
export function collectFeatureTags(featuresDir: string, options: CollectOptions = {}): FeatureTagsResult {
  const base = resolve(options.uriBase ?? process.cwd());
  const out: FeatureTagsResult = { files: [], pickles: [], parseErrors: [] };
  const dir = resolve(featuresDir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`features directory not found: ${featuresDir}`);
  }
  for (const file of findFeatureFiles(dir)) {
    const uri = displayUri(file, base);
    try {
      const parsed = parseFeatureSource(readFileSync(file, 'utf8'), uri);
      out.files.push(parsed);
      out.pickles.push(...parsed.pickles);
    } catch (err) {
      if (err instanceof FeatureParseError) out.parseErrors.push(...err.failures);
      else throw err;
    }
  }
  return out;
}
