// The control API contract's JSON Schemas (docs/contract/control-api/), for
// the reference server's own tests: every response they look at must match.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

const contractDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/contract/control-api');
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormatsPlugin.default(ajv); // CommonJS module: its default export sits on .default under NodeNext
for (const file of readdirSync(contractDir).filter((f) => f.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(contractDir, file), 'utf8')) as object, file);
}

export function assertContract(file: string, value: unknown): void {
  const validate = ajv.getSchema(file);
  assert.ok(validate, `schema ${file} not loaded`);
  assert.ok(validate(value), `${file}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 2000)}`);
}
