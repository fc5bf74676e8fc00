// Teleport's jwt.KeyID: the identifier of a public key used as the challenge
// `sub` (which key must answer) and as the join state `kid` (which CA key
// signed). base64url without padding of SHA-256 over the key's DER: PKCS#1
// for RSA keys, PKIX SubjectPublicKeyInfo for every other key. The RSA
// exception is Teleport's, kept so IDs match a real server's byte for byte.
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { keyAlgorithmOf, publicKeyOf } from './keys.js';

// A key's ID is asked for twice per challenge (issuing it, checking the
// answer), and DER export goes through OpenSSL 3's encoder machinery, which
// costs far more than the digest: remembered per key object. KeyObjects are
// immutable, so the cache cannot go stale; it holds them weakly.
const ids = new WeakMap<KeyObject, string>();

export function keyId(publicKey: KeyObject): string {
  let id = ids.get(publicKey);
  if (id === undefined) {
    const pub = publicKeyOf(publicKey);
    const der = keyAlgorithmOf(pub) === 'rsa'
      ? pub.export({ type: 'pkcs1', format: 'der' })
      : pub.export({ type: 'spki', format: 'der' });
    id = createHash('sha256').update(der).digest('base64url');
    ids.set(publicKey, id);
  }
  return id;
}
