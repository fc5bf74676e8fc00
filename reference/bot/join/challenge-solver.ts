// Answering a bound keypair challenge (C-CH-2/3): the challenge text is
// signed byte for byte, never parsed or re-serialised, as a compact JWS whose
// protected header is exactly {"alg":<from the key type>,"typ":"JWT"} (no
// kid), as go-jose's Sign does for tbot. The key type decides the algorithm:
// Ed25519 → EdDSA, ECDSA P-256 → ES256, RSA → RS256.
import { algorithmForKey, keyId, signCompactJws } from '../../crypto/index.js';
import type { KeyPair } from '../../crypto/index.js';
import { mutantActive } from '../../mutants/switch.js';

export function solveChallenge(challenge: string | Buffer, key: KeyPair): string {
  // Mutant: bot-kid-in-challenge-header adds a kid to the header.
  return signCompactJws(challenge, key.privateKey, { alg: algorithmForKey(key.privateKey), typ: 'JWT', ...(mutantActive('bot-kid-in-challenge-header') ? { kid: keyId(key.publicKey) } : {}) });
}
