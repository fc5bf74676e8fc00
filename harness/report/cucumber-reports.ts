// The two reports Cucumber's own libraries derive from a message stream: the
// interactive HTML report (every scenario, step and attachment, including the
// evidence) and JUnit XML for CI systems that read test results.
import { createWriteStream, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Envelope } from '@cucumber/messages';
import { CucumberHtmlStream } from '@cucumber/html-formatter';
import { JUnitXmlPrinter } from '@cucumber/junit-xml-formatter';

export async function writeCucumberHtml(envelopes: readonly Envelope[], file: string): Promise<void> {
  const html = new CucumberHtmlStream();
  const out = createWriteStream(file);
  html.pipe(out);
  for (const e of envelopes) html.write(e);
  html.end();
  await finished(out);
}

export function writeJunitXml(envelopes: readonly Envelope[], file: string, suiteName: string): void {
  let xml = '';
  const printer = new JUnitXmlPrinter({ suiteName }, (chunk) => {
    xml += chunk;
  });
  for (const e of envelopes) printer.update(e);
  writeFileSync(file, xml);
}
