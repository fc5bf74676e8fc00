// Which bound keypair client state a join uses — tbot's
// initBoundKeypairClientState, client notes §3.1, chosen afresh for every
// join as tbot does:
//   1. a configured static key that loads → the static state; one that does
//      not load → a warning, and the filesystem state is tried instead;
//   2. the filesystem state in the storage, when there is one;
//   3. none, but a registration secret is configured → an empty state
//      (the server will ask for a key);
//   4. none and no secret → tbot's long error, and the join fails.
// Our exit codes: case 4 is a configuration problem (2); a state that
// exists but cannot be loaded (an unparsable id_bkp) is a local state
// error (3).
import type { BotClock } from '../clock.js';
import type { BotLog } from '../log.js';
import type { BotStorage } from '../state/bot-storage.js';
import type { ClientState } from '../state/client-state.js';
import { emptyFsClientState, loadFsClientState, ERR_NO_ACTIVE_KEY } from '../state/fs-state-loader.js';
import { StaticClientState, loadStaticKey } from '../state/static-client-state.js';
import type { StaticKeySource } from '../config/static-key-source.js';
import { ConfigError } from '../config/config-error.js';
import { LocalStateError, messageOf } from './exit-codes.js';

export const STATIC_KEY_SELECTED = 'A static keypair was configured and will be used instead of mutable internal key storage';
export const STATIC_KEY_FALLBACK = 'Could not load the configured bound keypair static key, will attempt to fall back to a standard filesystem keypair';
export const JOINING_WITH_SECRET = 'No existing client state found, will attempt to join with provided registration secret';
/**
 * tbot's text (§3.1). The notes render the two command names between double
 * backticks, a Markdown artifact of quoting a Go string that holds single
 * ones; we print single backticks, like the other quoted tbot strings.
 */
export const NO_LOCAL_CREDENTIALS =
  'Could not complete bound keypair joining as no local credentials are available and no registration secret was provided. '
  + 'To continue, either generate a keypair with `tbot keypair create` and register it with Teleport, or generate a registration '
  + 'secret in Teleport and provide it with the `--registration-secret` flag.';

export interface StateSelectionInput {
  storage: BotStorage;
  staticKey?: StaticKeySource | undefined;
  registrationSecret?: string | undefined;
  log: BotLog;
  clock: BotClock;
}

export async function selectClientState(input: StateSelectionInput): Promise<ClientState> {
  const { storage, log, clock } = input;
  if (input.staticKey) {
    try {
      const key = await loadStaticKey(input.staticKey);
      if (key) {
        log.info(STATIC_KEY_SELECTED);
        return new StaticClientState(key, log);
      }
    } catch (err) {
      log.warn(STATIC_KEY_FALLBACK, { error: messageOf(err) });
    }
  }
  let state;
  try {
    state = await loadFsClientState(storage, log, clock);
  } catch (err) {
    throw new LocalStateError(`loading bound keypair client state: ${messageOf(err)}`, { cause: err });
  }
  if (state) return state;
  if (input.registrationSecret) {
    log.info(JOINING_WITH_SECRET);
    return emptyFsClientState(storage, log, clock);
  }
  log.error(NO_LOCAL_CREDENTIALS);
  throw new ConfigError(`loading bound keypair client state: ${ERR_NO_ACTIVE_KEY} in ${storage.location} and no registration secret was provided`);
}
