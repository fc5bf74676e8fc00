// Which registration secret the bot offers (client notes §4.3, §4.4), in
// tbot's order:
//   - `registration_secret` and `registration_secret_path` together (after
//     flags were laid over the file, field by field) are refused;
//   - either one wins over TBOT_REGISTRATION_SECRET, with tbot's warning
//     when the environment also holds one;
//   - the file's contents are trimmed;
//   - the environment is used only when neither is configured.
// Empty strings count as unset, as in tbot.
//
// Our choice where tbot's behaviour was not read: a secret file that is empty
// after trimming is an error (an operator pointing at an empty file made a
// mistake; sending "" would silently become "no secret").
import type { BotLog } from '../log.js';
import { ConfigError } from './config-error.js';
import { readBoundedTextFile } from './bounded-file.js';

export const REGISTRATION_SECRET_ENV = 'TBOT_REGISTRATION_SECRET';
/** A registration secret is 64 hex characters in Teleport; anything past this is certainly not one. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

export const BOTH_SECRETS_SET = "only one of 'registration_secret' and 'registration_secret_path' may be set";
export const SECRET_OVERRIDES_ENV = "'registration_secret' in tbot's configuration will override the value set in the environment";
export const SECRET_PATH_OVERRIDES_ENV = "'registration_secret_path' in tbot's configuration will override the value set in the environment";

export interface RegistrationSecretInputs {
  /** `registration_secret` after flags were applied over the file. */
  secret?: string | undefined;
  /** `registration_secret_path` after flags were applied over the file. */
  secretPath?: string | undefined;
  env: NodeJS.ProcessEnv;
  log: BotLog;
}

/** The secret to offer, or undefined when none is configured anywhere. */
export function resolveRegistrationSecret(inputs: RegistrationSecretInputs): string | undefined {
  const secret = nonEmpty(inputs.secret);
  const secretPath = nonEmpty(inputs.secretPath);
  const fromEnv = nonEmpty(inputs.env[REGISTRATION_SECRET_ENV]);
  if (secret !== undefined && secretPath !== undefined) throw new ConfigError(BOTH_SECRETS_SET);
  if (secret !== undefined) {
    if (fromEnv !== undefined) inputs.log.warn(SECRET_OVERRIDES_ENV);
    return secret;
  }
  if (secretPath !== undefined) {
    if (fromEnv !== undefined) inputs.log.warn(SECRET_PATH_OVERRIDES_ENV);
    const text = readBoundedTextFile(secretPath, 'registration secret', MAX_SECRET_FILE_BYTES).trim();
    if (text === '') throw new ConfigError(`reading registration secret from ${secretPath}: the file is empty`);
    return text;
  }
  return fromEnv;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
