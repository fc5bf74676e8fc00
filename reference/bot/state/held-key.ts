// One bound keypair private key the bot holds: the parsed pair, the PEM it is
// stored as (kept verbatim when read, so a rewrite does not change tbot's
// bytes) and its public key in authorized_keys form.
import {
  boundKeypairClientKeyAlgorithm, encodeAuthorizedKey, encodePrivateKeyPem, generateKeyPair, parsePrivateKeyPem, publicKeyOf,
} from '../../crypto/index.js';
import type { KeyPair } from '../../crypto/index.js';

export interface HeldKey {
  pair: KeyPair;
  pem: string;
  /** `<type> <base64>`, trimmed, as tbot sends it. */
  authorizedKey: string;
  /** When the key was generated (RFC 3339, as in the key history). */
  time: string;
}

/** Parses a stored PEM (PKCS#1, PKCS#8 or SEC1); throws `parsing private key: …`. */
export function heldKeyFromPem(pem: string, time: string): HeldKey {
  const privateKey = parsePrivateKeyPem(pem);
  const publicKey = publicKeyOf(privateKey);
  return { pair: { privateKey, publicKey }, pem, authorizedKey: encodeAuthorizedKey(publicKey), time };
}

/**
 * A fresh key for purpose BoundKeypairJoining (C-RT-1): Ed25519 for legacy,
 * balanced-v1 and hsm-v1, ECDSA P-256 for fips-v1; an empty suite means
 * legacy; an unknown suite is refused.
 */
export function generateHeldKey(suite: string | undefined, time: string): HeldKey {
  const pair = generateKeyPair(boundKeypairClientKeyAlgorithm(suite));
  return { pair, pem: encodePrivateKeyPem(pair.privateKey), authorizedKey: encodeAuthorizedKey(pair.publicKey), time };
}
