// The control API credential of a target that does not generate one with
// {credential}: from an environment variable of the suite's process, or from
// a file. Never from the target file itself, which is meant to be committed.
import { readFileSync, statSync } from 'node:fs';
import { configurationError } from './errors.js';
import type { CredentialSource } from './model.js';

const MAX_CREDENTIAL_BYTES = 4096;

export function readCredential(source: CredentialSource, env: NodeJS.ProcessEnv = process.env): string {
  if ('env' in source) {
    const value = (env[source.env] ?? '').trim();
    if (!value) throw configurationError('control_api.credential_env', `the environment variable ${source.env} is not set (it must hold the control API credential)`);
    return value;
  }
  let value: string;
  try {
    const size = statSync(source.file).size;
    if (size > MAX_CREDENTIAL_BYTES) throw new Error(`${size} bytes, more than the ${MAX_CREDENTIAL_BYTES} a credential may have`);
    value = readFileSync(source.file, 'utf8').trim();
  } catch (e) {
    throw configurationError('control_api.credential_file', `cannot read ${source.file}: ${(e as Error).message}`);
  }
  if (!value) throw configurationError('control_api.credential_file', `${source.file} is empty`);
  return value;
}
