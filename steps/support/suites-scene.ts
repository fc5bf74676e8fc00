// What the signature algorithm suite (SUI) scenarios remember between steps:
// the bound_keypair CA keys noted before a suite change, and the key each
// bot offered when the server last asked it for a new one.
import { scenarioState } from './world.js';
import type { KeyHolder } from './keys.js';

interface SuitesScene {
  /** The key that signed a bot's join state, and every listed CA key, at the moment they were noted. */
  noted?: { kid: string; alg: string; keys: Record<string, unknown>[] };
  /** The key each bot offered in its last rotation or registration, by bot name. */
  offered: Map<string, KeyHolder>;
}

export const suitesScene = scenarioState<SuitesScene>(() => ({ offered: new Map() }));
