// The registration secret precedence table of client notes §4.3/§4.4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../log.js';
import { ConfigError } from './config-error.js';
import {
  BOTH_SECRETS_SET, REGISTRATION_SECRET_ENV, SECRET_OVERRIDES_ENV, SECRET_PATH_OVERRIDES_ENV, resolveRegistrationSecret,
} from './registration-secret.js';

const dir = mkdtempSync(join(tmpdir(), 'bkp-secret-'));
const secretFile = join(dir, 'secret');
writeFileSync(secretFile, '  from-file\n');
const emptyFile = join(dir, 'empty');
writeFileSync(emptyFile, ' \n');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { [REGISTRATION_SECRET_ENV]: 'from-env' };

const rows: { name: string; secret?: string; secretPath?: string; env: NodeJS.ProcessEnv; want: string | undefined; warning?: string }[] = [
  { name: 'nothing anywhere', env: {}, want: undefined },
  { name: 'environment only', env: ENV, want: 'from-env' },
  { name: 'empty environment value counts as unset', env: { [REGISTRATION_SECRET_ENV]: '' }, want: undefined },
  { name: 'literal only', secret: 'literal', env: {}, want: 'literal' },
  { name: 'literal wins over the environment, with a warning', secret: 'literal', env: ENV, want: 'literal', warning: SECRET_OVERRIDES_ENV },
  { name: 'file only, trimmed', secretPath: secretFile, env: {}, want: 'from-file' },
  { name: 'file wins over the environment, with a warning', secretPath: secretFile, env: ENV, want: 'from-file', warning: SECRET_PATH_OVERRIDES_ENV },
  { name: 'empty literal counts as unset', secret: '', env: ENV, want: 'from-env' },
];

for (const row of rows) {
  test(`secret precedence: ${row.name}`, () => {
    const log = memoryLog();
    assert.equal(resolveRegistrationSecret({ secret: row.secret, secretPath: row.secretPath, env: row.env, log }), row.want);
    const warnings = log.lines.filter((l) => l.startsWith('WARN'));
    assert.deepEqual(warnings, row.warning ? [`WARN ${row.warning}`] : []);
  });
}

test('both a literal and a path are refused with tbot\'s message', () => {
  assert.throws(
    () => resolveRegistrationSecret({ secret: 'a', secretPath: secretFile, env: {}, log: memoryLog() }),
    (err: Error) => err instanceof ConfigError && err.message === BOTH_SECRETS_SET,
  );
  assert.equal(BOTH_SECRETS_SET, "only one of 'registration_secret' and 'registration_secret_path' may be set");
});

test('a missing or empty secret file is a configuration error naming the path', () => {
  assert.throws(() => resolveRegistrationSecret({ secretPath: join(dir, 'nope'), env: {}, log: memoryLog() }), /reading registration secret from .*nope: ENOENT/);
  assert.throws(() => resolveRegistrationSecret({ secretPath: emptyFile, env: {}, log: memoryLog() }), /empty/);
});
