// Everything a run directory holds besides its source, derived from
// messages.ndjson (the source), manifest.json and summary.json:
//   report.html       Cucumber's report: every scenario, step and attachment
//   junit.xml         for CI systems that read JUnit
//   conformance.json  requirement verdicts, coverage, failures with evidence
//   conformance.html  the same as a page a person reads
// `bkp run` calls this at the end; `bkp report <dir>` calls it again later.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalogue } from '../catalogue/catalogue.js';
import type { RunSummary } from '../run/summary.js';
import { conformanceReport } from './conformance.js';
import type { ConformanceReport } from './conformance.js';
import { renderConformancePage } from './conformance-page.js';
import { writeCucumberHtml, writeJunitXml } from './cucumber-reports.js';
import { readEnvelopes } from './envelopes.js';
import type { RunManifest } from './manifest.js';
import { buildRunModel } from './run-model.js';

export const RUN_FILES = {
  messages: 'messages.ndjson',
  manifest: 'manifest.json',
  summary: 'summary.json',
  cucumberHtml: 'report.html',
  junit: 'junit.xml',
  conformanceJson: 'conformance.json',
  conformanceHtml: 'conformance.html',
} as const;

export interface WrittenReports {
  report: ConformanceReport;
  files: { name: string; bytes: number }[];
  ms: number;
}

function readJson<T>(dir: string, name: string): T {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new Error(`${dir}: ${name} is missing (a run directory holds ${RUN_FILES.messages}, ${RUN_FILES.manifest} and ${RUN_FILES.summary})`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export async function writeRunReports(dir: string): Promise<WrittenReports> {
  const started = Date.now();
  const manifest = readJson<RunManifest>(dir, RUN_FILES.manifest);
  const summary = readJson<RunSummary>(dir, RUN_FILES.summary);
  const messagesFile = path.join(dir, RUN_FILES.messages);
  const envelopes = existsSync(messagesFile) ? readEnvelopes(messagesFile) : [];
  const model = buildRunModel(envelopes);
  const report = conformanceReport(loadCatalogue(), model, manifest, { verdict: summary.verdict, reason: summary.reason, exitCode: summary.exitCode });
  const at = (name: string) => path.join(dir, name);
  const hasMessages = envelopes.length > 0;
  if (hasMessages) {
    await writeCucumberHtml(envelopes, at(RUN_FILES.cucumberHtml));
    writeJunitXml(envelopes, at(RUN_FILES.junit), `bkp conformance: ${manifest.target.name}`);
  }
  writeFileSync(at(RUN_FILES.conformanceJson), `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(at(RUN_FILES.conformanceHtml), renderConformancePage(report, hasMessages ? { cucumberHtml: RUN_FILES.cucumberHtml, junit: RUN_FILES.junit, messages: RUN_FILES.messages } : {}));
  const files = Object.values(RUN_FILES).filter((f) => existsSync(at(f))).map((name) => ({ name, bytes: statSync(at(name)).size }));
  return { report, files, ms: Date.now() - started };
}
