// fast-check arbitraries for malformed control API requests (the cases of
// control-requests.ts). Everything generated is invalid by construction, so
// a 2xx answer is itself a finding.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { documentFormat } from '../../reference/auth/validation/documents.js';
import { QUERY_ROUTES, TEMPLATES } from './control-requests.js';
import type { ControlCase, DocChange } from './control-requests.js';
import type { JsonValue } from './mutations.js';
import { text } from './join-arbitraries.js';

const json = fc.jsonValue({ maxDepth: 3 }) as Arbitrary<JsonValue>;
const template = fc.nat({ max: TEMPLATES.length - 1 });
/** What can go into an HTTP header value: printable ASCII. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const keyText = fc.string({ unit: 'grapheme-ascii', maxLength: 12 });

const docChange: Arbitrary<DocChange> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('wrong-type' as const), at: fc.nat(), pick: fc.nat(), num: fc.double({ noNaN: true, noDefaultInfinity: true }), str: text, arr: fc.array(json, { maxLength: 3 }), obj: fc.dictionary(keyText, json, { maxKeys: 3 }) as Arbitrary<{ [key: string]: JsonValue }> }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unknown-field' as const), at: fc.nat(), key: keyText, value: json }) },
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('bad-string' as const), at: fc.nat(), value: text }) },
  fc.record({ op: fc.constant('bad-number' as const), at: fc.nat(), pick: fc.nat() }),
);

/** Methods each known route does not allow (allowing them could change the store). */
const WRONG_METHODS: [string, string[]][] = [
  ['health', ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']],
  ['capabilities', ['POST', 'PUT', 'DELETE', 'PATCH']],
  ['tokens', ['PUT', 'DELETE', 'PATCH']],
  ['tokens/fz-key', ['POST', 'PATCH', 'OPTIONS']],
  ['tokens/fz-key/status', ['GET', 'POST', 'DELETE']],
  ['locks', ['PUT', 'DELETE', 'PATCH']],
  ['locks/fz-lock', ['GET', 'POST', 'PUT', 'PATCH']],
  ['clock/advance', ['GET', 'PUT', 'DELETE']],
  ['settings', ['POST', 'PUT', 'DELETE']],
  ['reset', ['GET', 'PUT', 'DELETE']],
  ['bot-instances', ['POST', 'DELETE']],
];

const badPath: Arbitrary<{ method: string; path: string }> = fc.oneof(
  fc.constantFrom(...WRONG_METHODS).chain(([path, methods]) => fc.constantFrom(...methods).map((method) => ({ method, path }))),
  fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), path: fc.array(keyText, { minLength: 1, maxLength: 4 }).map((segs) => `x_${segs.map(encodeURIComponent).join('/')}`) }),
  fc.record({ method: fc.constant('GET'), path: fc.constantFrom('tokens/%', 'tokens/%zz', 'tokens/%E0%A4%A', 'bot-instances/%C0', 'tokens//status', 'tokens/x/y/z', '') }),
  fc.record({ method: fc.constant('GET'), path: keyText.map((k) => `tokens/x_${encodeURIComponent(k)}`) }),
);

const badQuery: Arbitrary<[string, string][]> = fc
  .tuple(
    fc.tuple(keyText.map((k) => `x_${k}`), headerText),
    fc.array(fc.oneof(
      fc.constantFrom<[string, string]>(['since_index', 'abc'], ['since_index', '-1'], ['bot_name', ''], ['token_name', ''], ['limit', 'x'], ['after', '-5'], ['event', '']),
      fc.tuple(keyText, headerText),
    ), { maxLength: 3 }),
  )
  .map(([unknown, rest]) => [...rest, unknown]);

const mediaType = fc.oneof(
  fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/jsonx', 'json', 'text/json5'),
  headerText,
).filter((t) => t.trim() !== '' && documentFormat(t) === undefined);

export const controlCase: Arbitrary<ControlCase> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('template' as const), template, change: docChange, contentType: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('not-json' as const), template, text }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('not-object' as const), template, value: json.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('media-type' as const), template, contentType: mediaType }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('credential' as const), template, authorization: fc.option(fc.oneof(headerText, headerText.map((t) => `Bearer ${t}`)), { freq: 3 }) }) },
  { weight: 2, arbitrary: badPath.map((p) => ({ kind: 'path' as const, ...p })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('query' as const), route: fc.constantFrom(...QUERY_ROUTES), query: badQuery }) },
  // A megabyte each: rare, but every run has some.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), template, extra: fc.integer({ min: 1, max: 1_000 }) }) },
);
