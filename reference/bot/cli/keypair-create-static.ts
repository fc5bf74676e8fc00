// `bkp bot keypair create --static` (client notes §4.1, W-10, W-13): a key
// the operator owns. With --static-key-path an existing key there is reused
// (printed again) unless --overwrite; otherwise a new key for the cluster's
// suite is generated. When a path is given the private key PEM is written
// there, and only there (no .pub file) — also when it was reused, as tbot
// does. The printout carries the base64 PEM for the environment variable.
import { boundKeypairClientKeyAlgorithm, encodeAuthorizedKey, encodePrivateKeyPem, generateKeyPair, parsePrivateKeyPem, publicKeyOf, MAX_PRIVATE_KEY_PEM_BYTES } from '../../crypto/index.js';
import type { KeyObject } from 'node:crypto';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';
import { readBoundedFile } from '../state/bot-storage.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import type { BotLog } from '../log.js';
import { LocalStateError, messageOf } from '../lifecycle/exit-codes.js';
import type { KeypairPrintout } from './keypair-output.js';

export const STATIC_KEY_REUSED = 'An existing static key was found at the given path and will be printed. To generate a new key, pass --overwrite';
export const STATIC_KEY_OVERWRITTEN = 'An existing static key was found at the specified path and will be overwritten';
export const STATIC_KEY_WRITTEN = 'A static keypair has been written to the specified static key path';

export async function createStaticKeypair(
  options: { staticKeyPath?: string | undefined; overwrite: boolean },
  suite: () => Promise<SignatureAlgorithmSuite>,
  log: BotLog,
): Promise<KeypairPrintout> {
  const path = options.staticKeyPath === '' ? undefined : options.staticKeyPath;
  let key = path === undefined ? undefined : await loadExisting(path, log);
  if (key === undefined || options.overwrite) {
    if (key !== undefined) log.warn(STATIC_KEY_OVERWRITTEN, { static_path: path });
    key = generateKeyPair(boundKeypairClientKeyAlgorithm(await suite())).privateKey;
  } else {
    log.info(STATIC_KEY_REUSED);
  }
  const pem = encodePrivateKeyPem(key);
  if (path !== undefined) {
    try {
      await writeFileAtomic(path, pem);
    } catch (err) {
      throw new LocalStateError(`writing static key to ${path}: ${messageOf(err)}`, { cause: err });
    }
    log.info(STATIC_KEY_WRITTEN, { path });
  }
  return {
    publicKey: encodeAuthorizedKey(publicKeyOf(key)),
    encodedPrivateKey: Buffer.from(pem).toString('base64'),
    ...(path !== undefined ? { staticKeyPath: path } : {}),
  };
}

async function loadExisting(path: string, log: BotLog): Promise<KeyObject | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readBoundedFile(path, MAX_PRIVATE_KEY_PEM_BYTES);
  } catch (err) {
    throw new LocalStateError(`could not read from static key path ${path}: ${messageOf(err)}`, { cause: err });
  }
  if (bytes === undefined) return undefined;
  try {
    const key = parsePrivateKeyPem(bytes);
    log.info('Loaded existing static key from path', { path });
    return key;
  } catch (err) {
    throw new LocalStateError(`could not parse existing key at static key path ${path}: ${messageOf(err)}`, { cause: err });
  }
}
