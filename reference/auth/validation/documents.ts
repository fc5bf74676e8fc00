// Decoding of request documents (JSON or YAML text) into plain values, before
// any field is checked. Parser messages quote the offending text; a body may
// carry a registration secret, so only the parser's own words and the
// position are kept.
import { parseAllDocuments } from 'yaml';
import { badParameter } from '../../protocol/errors.js';

export type DocumentFormat = 'json' | 'yaml';

/** The document format a Content-Type names; undefined when it names neither. */
export function documentFormat(contentType: string): DocumentFormat | undefined {
  const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/json' || media.endsWith('+json')) return 'json';
  if (['application/yaml', 'text/yaml', 'application/x-yaml', 'text/x-yaml'].includes(media)) return 'yaml';
  return undefined;
}

export function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = (err as Error).message.replace(/, ".*" is not valid JSON$/s, ' (not valid JSON)');
    throw badParameter(`malformed JSON: ${reason}`);
  }
}

/** Exactly one YAML document, decoded with the core schema (timestamps stay strings). */
export function decodeYaml(text: string): unknown {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1) throw badParameter(`expected exactly one YAML document, found ${docs.length}`);
  const [doc] = docs;
  const problem = doc?.errors[0];
  if (!doc || problem) {
    const reason = (problem?.message ?? 'no document').split('\n')[0]?.replace(/:$/, '');
    throw badParameter(`malformed YAML: ${reason}`);
  }
  // The alias cap keeps a "billion laughs" document from exhausting memory.
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}
