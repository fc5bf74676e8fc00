// reports/<run-id>/ of one `bkp run`: opened before the scenarios start (the
// message stream is written as it arrives, so a run that dies midway still
// leaves its source behind), finished with the manifest, the summary and the
// reports derived from them (run-reports.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import type { RunSummary } from '../run/summary.js';
import { EnvelopeWriter } from './envelopes.js';
import type { RunManifest } from './manifest.js';
import { RUN_FILES, writeRunReports } from './run-reports.js';
import type { WrittenReports } from './run-reports.js';

export class RunDirectory {
  readonly dir: string;
  private writer: EnvelopeWriter | undefined;

  constructor(reportsDir: string, runId: string) {
    this.dir = path.resolve(reportsDir, runId);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Where the message stream goes; call before the scenarios start. */
  record(): (e: Envelope) => void {
    this.writer ??= new EnvelopeWriter(path.join(this.dir, RUN_FILES.messages));
    const writer = this.writer;
    return (e) => writer.write(e);
  }

  async finish(manifest: RunManifest, summary: RunSummary): Promise<WrittenReports> {
    await this.writer?.close();
    const json = (name: string, value: unknown) => writeFileSync(path.join(this.dir, name), `${JSON.stringify(value, null, 2)}\n`);
    json(RUN_FILES.manifest, { ...manifest, endedAt: new Date().toISOString() });
    json(RUN_FILES.summary, summary);
    return writeRunReports(this.dir);
  }
}

export function describeWritten(dir: string, w: WrittenReports): string {
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  const total = w.files.reduce((n, f) => n + f.bytes, 0);
  return `reports: ${path.relative(process.cwd(), dir) || dir}/ (${w.files.map((f) => `${f.name} ${kib(f.bytes)}`).join(', ')}; ${kib(total)} in all, derived in ${(w.ms / 1000).toFixed(1)} s)\n  open ${path.relative(process.cwd(), path.join(dir, RUN_FILES.conformanceHtml))}`;
}
