// Keys the suite's bots hold: the bound keypair (what the token binds) and
// the subject keys certificates are issued for. Built on the reference
// crypto codecs (authorized_keys, SSH wire), which are protocol encodings,
// not server internals.
import type { KeyObject } from 'node:crypto';
import { generateKeyPair, encodeAuthorizedKey, parseAuthorizedKey, publicKeysEqual, algorithmForKey, encodePrivateKeyPem } from '../../reference/crypto/index.js';
import type { KeyAlgorithm } from '../../reference/crypto/index.js';

export interface KeyHolder {
  algorithm: KeyAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** authorized_keys text, trimmed, as Teleport clients send it. */
  authorizedKey: string;
  jwsAlgorithm: string;
  privateKeyPem: string;
}

export function newKey(algorithm: KeyAlgorithm): KeyHolder {
  const { privateKey, publicKey } = generateKeyPair(algorithm);
  return {
    algorithm,
    privateKey,
    publicKey,
    authorizedKey: encodeAuthorizedKey(publicKey),
    jwsAlgorithm: algorithmForKey(publicKey),
    privateKeyPem: encodePrivateKeyPem(privateKey),
  };
}

/** The key among `keys` whose public half equals the authorized_keys text, if any. */
export function findKey(keys: KeyHolder[], authorizedKey: string): KeyHolder | undefined {
  let wanted: KeyObject;
  try {
    wanted = parseAuthorizedKey(authorizedKey);
  } catch {
    return undefined;
  }
  return keys.find((k) => publicKeysEqual(k.publicKey, wanted));
}

export const KEY_TYPES: Record<string, KeyAlgorithm> = {
  'Ed25519': 'ed25519',
  'ECDSA P-256': 'ecdsa-p256',
  'RSA': 'rsa',
};

export function keyTypeFromWords(words: string): KeyAlgorithm {
  const alg = KEY_TYPES[words];
  if (!alg) throw new Error(`unknown key type "${words}"; use one of ${Object.keys(KEY_TYPES).join(', ')}`);
  return alg;
}
