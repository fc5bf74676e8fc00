// Which JWS algorithm a key signs with (Teleport's jwt.AlgorithmForPublicKey).
// Exactly one algorithm per key type: a verifier that knows the key therefore
// knows the only acceptable `alg`, which closes algorithm-confusion attacks
// (`none`, HS256 keyed with the public key, ES256 claimed for an Ed25519 key).
import type { KeyObject } from 'node:crypto';
import { keyAlgorithmOf } from './keys.js';
import type { KeyAlgorithm } from './keys.js';

export type JwsAlgorithm = 'EdDSA' | 'ES256' | 'RS256';

const BY_KEY: Record<KeyAlgorithm, JwsAlgorithm> = {
  'ed25519': 'EdDSA',
  'ecdsa-p256': 'ES256',
  'rsa': 'RS256',
};

export function algorithmForKeyAlgorithm(alg: KeyAlgorithm): JwsAlgorithm {
  return BY_KEY[alg];
}

export function algorithmForKey(key: KeyObject): JwsAlgorithm {
  return BY_KEY[keyAlgorithmOf(key)];
}

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return value === 'EdDSA' || value === 'ES256' || value === 'RS256';
}
