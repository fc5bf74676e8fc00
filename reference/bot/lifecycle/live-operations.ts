// The lifecycle's operations over the real thing: the bot's storage
// directory, the state layer and the join client.
import { randomBytes } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { BotClock } from '../clock.js';
import type { BotLog } from '../log.js';
import type { BotStorage } from '../state/bot-storage.js';
import { ensurePrivateDirectory, TEMP_FILE_PREFIX } from '../state/atomic-write.js';
import { loadIdentity, saveIdentity } from '../identity/identity-store.js';
import { joinOnce } from '../join/join-client.js';
import type { BotIdentity, ServerTrust } from '../join/join-types.js';
import type { StaticKeySource } from '../config/static-key-source.js';
import type { BotOperations, JoinOutcome, StoredIdentity } from './bot-operations.js';
import { LocalStateError, messageOf } from './exit-codes.js';
import { selectClientState } from './state-selection.js';

/** Deadline of one join stream (Teleport's server allows one minute). */
export const JOIN_TIMEOUT_MS = 60_000;

export interface LiveOperationsSettings {
  storage: BotStorage;
  authAddress: string;
  trust: ServerTrust;
  tokenName: string;
  registrationSecret?: string | undefined;
  staticKey?: StaticKeySource | undefined;
  certificateTtlMs: number;
  joinTimeoutMs?: number;
  clock: BotClock;
  log: BotLog;
}

export function liveOperations(settings: LiveOperationsSettings): BotOperations {
  const { storage, tokenName, clock, log } = settings;
  return {
    storageLabel: storage.location,
    checkWritable: () => verifyWritable(storage.location),
    async loadIdentity(): Promise<StoredIdentity | undefined> {
      return loadIdentity(storage, tokenName, clock, log);
    },
    async saveIdentity(identity: BotIdentity): Promise<void> {
      try {
        await saveIdentity(storage, tokenName, identity);
      } catch (err) {
        throw new LocalStateError(`saving new identity to ${storage.location}: ${messageOf(err)}`, { cause: err });
      }
    },
    async join(identity: BotIdentity | undefined): Promise<JoinOutcome> {
      const state = await selectClientState({ storage, staticKey: settings.staticKey, registrationSecret: settings.registrationSecret, log, clock });
      // Asked without a secret, so a static state has nothing to warn about; only the join state matters here.
      const hadJoinState = state.joinParameters(undefined).previousJoinState.length > 0;
      const issued = await joinOnce({
        authAddress: settings.authAddress,
        trust: settings.trust,
        tokenName,
        state,
        ...(settings.registrationSecret ? { registrationSecret: settings.registrationSecret } : {}),
        ...(identity ? { identity } : {}),
        certificateTtlMs: settings.certificateTtlMs,
        timeoutMs: settings.joinTimeoutMs ?? JOIN_TIMEOUT_MS,
        clock,
        log,
      });
      return { identity: issued, hadJoinState };
    },
  };
}

/**
 * tbot's VerifyWrite (C-LC-7): create the directory if needed, then create,
 * write and remove a scratch file in it. The name uses the storage's
 * temporary-file prefix, which no item name can have.
 */
export async function verifyWritable(dir: string): Promise<void> {
  await ensurePrivateDirectory(dir);
  const probe = path.join(dir, `${TEMP_FILE_PREFIX}write-test-${randomBytes(6).toString('hex')}`);
  const handle = await open(probe, 'wx', 0o600);
  try {
    await handle.writeFile('ok');
  } finally {
    await handle.close();
    await unlink(probe);
  }
}
