// Where a static bound keypair comes from (client notes §1.6, §4.3, §4.4):
// a PEM file (`--static-key-path`, or `static_private_key_path` in tbot.yaml;
// the flag wins) or TBOT_BOUND_KEYPAIR_STATIC_KEY holding the base64 of the
// same PEM bytes. The path wins when both are set, as in tbot. Loading and
// decoding are the state layer's job (loadStaticKey); its failures make the
// bot fall back to the filesystem state with a warning (§3.1).
import type { BotLog } from '../log.js';
import { STATIC_KEY_ENV } from '../state/static-client-state.js';

export { STATIC_KEY_ENV };

export type StaticKeySource = { path: string } | { envValue: string };

export interface StaticKeySourceInputs {
  /** --static-key-path, else static_private_key_path from the file. */
  path?: string | undefined;
  env: NodeJS.ProcessEnv;
  log: BotLog;
}

/** The configured static key source, or undefined when none is configured. */
export function resolveStaticKeySource(inputs: StaticKeySourceInputs): StaticKeySource | undefined {
  const path = inputs.path === '' ? undefined : inputs.path;
  const envValue = inputs.env[STATIC_KEY_ENV];
  const hasEnv = envValue !== undefined && envValue !== '';
  if (path !== undefined) {
    if (hasEnv) inputs.log.debug(`both a static key path and ${STATIC_KEY_ENV} are set; the path is used`, { path });
    return { path };
  }
  return hasEnv ? { envValue } : undefined;
}
