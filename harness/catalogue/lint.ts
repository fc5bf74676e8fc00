// The catalogue lint: ties scenarios to requirements in both directions.
//
// Errors (fail the lint):
//   missing-own-id    a pickle (Scenario, or Scenario Outline example row) has no
//                     requirement id tag of its own (Feature/Rule tags don't count)
//   unknown-id        a @BKP-… tag names no requirement in the catalogue
//   retired-id        a @BKP-… tag names a retired requirement
//   malformed-id      a tag looks like a requirement id but is not well-formed
//   uncovered-must    a MUST (not retired) is not the own tag of any pickle
//   parse-error       a feature file does not parse
//   catalogue         the catalogue does not load or validate
//   features-dir      the features directory does not exist
// Warnings (reported, do not fail):
//   uncovered-should / uncovered-may   a SHOULD / MAY without a scenario
//   inherited-id      an id tag on a Feature or Rule (does not count as any
//                     scenario's own tag, nor toward coverage)
//   empty-outline     a Scenario Outline whose Examples have no rows
import { relative, resolve, sep } from 'node:path';
import { CatalogueError, DEFAULT_CATALOGUE_PATH, loadCatalogue, REPO_ROOT, REQUIREMENT_ID_PATTERN } from './catalogue.js';
import type { Catalogue, Requirement, RequirementLevel } from './catalogue.js';
import { collectFeatureTags } from './feature-tags.js';
import type { FeatureTagsResult, PickleTags, TagRef } from './feature-tags.js';

export const DEFAULT_FEATURES_DIR = resolve(REPO_ROOT, 'features');

export type LintSeverity = 'error' | 'warning';

export type LintRule =
  | 'missing-own-id'
  | 'unknown-id'
  | 'retired-id'
  | 'malformed-id'
  | 'uncovered-must'
  | 'parse-error'
  | 'catalogue'
  | 'features-dir'
  | 'uncovered-should'
  | 'uncovered-may'
  | 'inherited-id'
  | 'empty-outline';

export interface LintProblem {
  severity: LintSeverity;
  rule: LintRule;
  /** File the problem is in (feature file or catalogue), as displayed. */
  file: string;
  /** 1-based line, 0 when the problem concerns the whole file. */
  line: number;
  /** The requirement id (or the offending tag text) concerned, if any. */
  id?: string;
  message: string;
}

export interface LevelCoverage {
  total: number;
  covered: number;
}

export interface LintSummary {
  /** Requirements in force (retired ones excluded). */
  requirements: number;
  retired: number;
  byLevel: Record<RequirementLevel, LevelCoverage>;
  /** Pickles: Scenarios plus Scenario Outline example rows. */
  scenarios: number;
  featureFiles: number;
  errors: number;
  warnings: number;
}

export interface ScenarioRef {
  uri: string;
  line: number;
  name: string;
}

export interface LintResult {
  ok: boolean;
  problems: LintProblem[];
  summary: LintSummary;
  /** For each requirement id, the pickles that carry it as an own tag. */
  coverage: ReadonlyMap<string, readonly ScenarioRef[]>;
}

export type TagClass =
  | { kind: 'id'; id: string }
  | { kind: 'malformed'; tag: string }
  | { kind: 'other' };

/**
 * Classify a Gherkin tag (with or without the leading `@`). Anything that
 * starts with `BKP-` in any letter case is meant as a requirement id and is
 * either well-formed or malformed.
 */
export function classifyTag(tag: string): TagClass {
  const text = tag.startsWith('@') ? tag.slice(1) : tag;
  if (!/^bkp-/i.test(text)) return { kind: 'other' };
  return REQUIREMENT_ID_PATTERN.test(text) ? { kind: 'id', id: text } : { kind: 'malformed', tag: `@${text}` };
}

function emptySummary(): LintSummary {
  return {
    requirements: 0,
    retired: 0,
    byLevel: { MUST: { total: 0, covered: 0 }, SHOULD: { total: 0, covered: 0 }, MAY: { total: 0, covered: 0 } },
    scenarios: 0,
    featureFiles: 0,
    errors: 0,
    warnings: 0,
  };
}

function shorten(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function describePickle(p: PickleTags): string {
  return p.fromExamples ? `${p.keyword} "${p.name}" (Examples row)` : `${p.keyword} "${p.name}"`;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return (rel === '' || rel.startsWith('..') ? path : rel).split(sep).join('/');
}

function finish(problems: LintProblem[], summary: LintSummary, coverage: Map<string, ScenarioRef[]>): LintResult {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  summary.errors = errors.length;
  summary.warnings = warnings.length;
  return { ok: errors.length === 0, problems: [...errors, ...warnings], summary, coverage };
}

/**
 * The lint proper, on an already loaded catalogue and parsed feature files.
 * Pure: reads nothing from disk.
 */
export function lintRequirementTags(catalogue: Catalogue, features: FeatureTagsResult): LintResult {
  const problems: LintProblem[] = [];
  const summary = emptySummary();
  const coverage = new Map<string, ScenarioRef[]>();
  const catalogueFile = catalogue.path === '<inline>' ? catalogue.path : displayPath(catalogue.path);

  for (const f of features.parseErrors) {
    problems.push({ severity: 'error', rule: 'parse-error', file: f.uri, line: f.line, message: `feature file does not parse: ${f.message}` });
  }

  // Rules 2 and 4 (and retired ids): every tag occurrence in every file, once.
  for (const file of features.files) {
    for (const tag of file.tags) {
      const cls = classifyTag(tag.name);
      if (cls.kind === 'malformed') {
        problems.push({
          severity: 'error', rule: 'malformed-id', file: file.uri, line: tag.line, id: cls.tag,
          message: `malformed requirement id tag ${tag.name}: ids are BKP-<AREA>-<NNN> (2-4 capital letters, exactly 3 digits)`,
        });
      } else if (cls.kind === 'id') {
        const req = catalogue.byId.get(cls.id);
        if (req === undefined) {
          problems.push({ severity: 'error', rule: 'unknown-id', file: file.uri, line: tag.line, id: cls.id, message: `${tag.name} names no requirement in ${catalogueFile}` });
        } else if (req.retired === true) {
          const instead = req.replaced_by && req.replaced_by.length > 0 ? `; use ${req.replaced_by.join(', ')}` : '';
          problems.push({ severity: 'error', rule: 'retired-id', file: file.uri, line: tag.line, id: cls.id, message: `${tag.name} names a retired requirement${instead}` });
        } else if (tag.level === 'feature' || tag.level === 'rule') {
          problems.push({
            severity: 'warning', rule: 'inherited-id', file: file.uri, line: tag.line, id: cls.id,
            message: `${tag.name} is on a ${tag.level === 'feature' ? 'Feature' : 'Rule'}: it is not any scenario's own tag and does not count toward coverage`,
          });
        }
      }
    }
    for (const outline of file.outlinesWithoutExamples) {
      problems.push({ severity: 'warning', rule: 'empty-outline', file: file.uri, line: outline.line, message: `Scenario Outline "${outline.name}" has no Examples rows, so no scenario runs` });
    }
  }

  // Rule 1, and coverage from own tags.
  for (const pickle of features.pickles) {
    const ownIds = pickle.ownTags
      .map((t: TagRef) => classifyTag(t.name))
      .filter((c): c is { kind: 'id'; id: string } => c.kind === 'id')
      .map((c) => c.id);
    if (ownIds.length === 0) {
      const inherited = pickle.inheritedTags.map((t) => classifyTag(t.name)).filter((c) => c.kind === 'id');
      const hint = inherited.length > 0 ? ' (tags inherited from the Feature or a Rule do not count)' : '';
      problems.push({
        severity: 'error', rule: 'missing-own-id', file: pickle.uri, line: pickle.line,
        message: `${describePickle(pickle)} has no requirement id tag of its own${hint}`,
      });
    }
    for (const id of new Set(ownIds)) {
      const req = catalogue.byId.get(id);
      if (req === undefined || req.retired === true) continue;
      const list = coverage.get(id) ?? [];
      list.push({ uri: pickle.uri, line: pickle.line, name: pickle.name });
      coverage.set(id, list);
    }
  }

  // Rule 3 (MUSTs) and the SHOULD/MAY warnings.
  for (const req of catalogue.requirements) {
    if (req.retired === true) {
      summary.retired++;
      continue;
    }
    summary.requirements++;
    const level = summary.byLevel[req.level];
    level.total++;
    if ((coverage.get(req.id)?.length ?? 0) > 0) {
      level.covered++;
      continue;
    }
    problems.push(uncoveredProblem(req, catalogueFile));
  }

  summary.scenarios = features.pickles.length;
  summary.featureFiles = features.files.length + new Set(features.parseErrors.map((e) => e.uri)).size;
  return finish(problems, summary, coverage);
}

function uncoveredProblem(req: Requirement, file: string): LintProblem {
  const rule: LintRule = req.level === 'MUST' ? 'uncovered-must' : req.level === 'SHOULD' ? 'uncovered-should' : 'uncovered-may';
  return {
    severity: req.level === 'MUST' ? 'error' : 'warning',
    rule,
    file,
    line: req.line,
    id: req.id,
    message: `${req.id} (${req.level}) has no scenario: ${shorten(req.statement)}`,
  };
}

export interface LintOptions {
  /** Directory searched recursively for *.feature (default: <repo>/features). */
  featuresDir?: string;
  /** Catalogue file (default: <repo>/features/requirements.yaml). */
  cataloguePath?: string;
}

/** Load the catalogue and the feature files from disk and lint them. Never throws for content problems. */
export function runCatalogueLint(options: LintOptions = {}): LintResult {
  const cataloguePath = options.cataloguePath ?? DEFAULT_CATALOGUE_PATH;
  const featuresDir = options.featuresDir ?? DEFAULT_FEATURES_DIR;
  let catalogue: Catalogue;
  try {
    catalogue = loadCatalogue(cataloguePath);
  } catch (err) {
    if (!(err instanceof CatalogueError)) throw err;
    const problems: LintProblem[] = err.problems.map((p) => ({
      severity: 'error', rule: 'catalogue', file: displayPath(cataloguePath), line: p.line, message: p.message,
    }));
    return finish(problems, emptySummary(), new Map());
  }
  let features: FeatureTagsResult;
  try {
    features = collectFeatureTags(featuresDir);
  } catch (err) {
    const problem: LintProblem = { severity: 'error', rule: 'features-dir', file: displayPath(featuresDir), line: 0, message: (err as Error).message };
    return finish([problem], emptySummary(), new Map());
  }
  return lintRequirementTags(catalogue, features);
}

/** One line: `<file>:<line>: <severity> [<rule>] <message>`. */
export function formatProblem(p: LintProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  return `${where}: ${p.severity} [${p.rule}] ${p.message}`;
}

export function formatSummary(s: LintSummary): string {
  const lv = s.byLevel;
  const retired = s.retired > 0 ? `, ${s.retired} retired` : '';
  return (
    `catalogue lint: ${s.requirements} requirements (${lv.MUST.total} MUST, ${lv.SHOULD.total} SHOULD, ${lv.MAY.total} MAY${retired}); ` +
    `MUSTs covered ${lv.MUST.covered}/${lv.MUST.total}, SHOULDs ${lv.SHOULD.covered}/${lv.SHOULD.total}, MAYs ${lv.MAY.covered}/${lv.MAY.total}; ` +
    `${s.scenarios} scenarios in ${s.featureFiles} feature files; ${s.errors} errors, ${s.warnings} warnings`
  );
}

/** Problems (errors first), one per line, then the summary line. */
export function formatReport(result: LintResult): string {
  return [...result.problems.map(formatProblem), formatSummary(result.summary)].join('\n');
}
