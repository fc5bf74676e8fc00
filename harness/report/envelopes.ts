// The run's single source: Cucumber's message stream, one JSON envelope per
// line (NDJSON). Every report of a run is derived from this file, so any of
// them can be regenerated later (`bkp report <run dir>`).
import { createWriteStream, readFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Envelope } from '@cucumber/messages';

export function readEnvelopes(file: string): Envelope[] {
  const out: Envelope[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as Envelope);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not a JSON message envelope (${(e as Error).message})`, { cause: e });
    }
  }
  return out;
}

/** Appends envelopes as they arrive during a run. */
export class EnvelopeWriter {
  private readonly out: WriteStream;

  constructor(readonly file: string) {
    this.out = createWriteStream(file, { encoding: 'utf8' });
  }

  write(e: Envelope): void {
    this.out.write(`${JSON.stringify(e)}\n`);
  }

  async close(): Promise<void> {
    this.out.end();
    await finished(this.out);
  }
}
