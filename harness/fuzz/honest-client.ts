// What an honest client would send next, given the server's last message:
// the base every mutation starts from, so that fuzz cases get past the
// first checks and reach the challenges, rotations and join states.
import type { KeyObject } from 'node:crypto';
import {
  encodeAuthorizedKey, encodeSshWirePublicKey, generateKeyPair, parseAuthorizedKey, publicKeyOf, publicKeysEqual, signChallenge, spkiDer,
} from '../../reference/crypto/index.js';
import type { JoinRequest, JoinResponse } from '../../reference/protocol/messages.js';
import type { TokenFixture } from './fixture.js';

export class HonestClient {
  private readonly keys: KeyObject[];
  private readonly subject = generateKeyPair('ed25519').publicKey;
  /** The key the last challenge was answered with, so a mutation can re-sign what it changed. */
  lastSigner: KeyObject | undefined;

  constructor(
    private readonly token: TokenFixture,
    private readonly withJoinState: boolean,
  ) {
    this.keys = [...token.keys];
  }

  /** The next message, or undefined once the server has sent its result. */
  reply(last: JoinResponse | undefined): JoinRequest | undefined {
    if (!last) return { client_init: { join_method: 'bound_keypair', token_name: this.token.name, system_role: this.token.role } };
    if (last.init) return { bound_keypair_init: this.init() };
    const challenge = last.challenge?.bound_keypair_challenge;
    if (challenge) {
      const named = tryParseKey(challenge.public_key);
      const key = this.keys.find((k) => named && publicKeysEqual(publicKeyOf(k), named)) ?? generateKeyPair('ed25519').privateKey;
      this.lastSigner = key;
      return { solution: { bound_keypair_challenge_solution: { solution: Buffer.from(signChallenge(challenge.challenge ?? '', key)) } } };
    }
    if (last.challenge?.bound_keypair_rotation_request) {
      const fresh = generateKeyPair('ed25519');
      this.keys.unshift(fresh.privateKey);
      return { solution: { bound_keypair_rotation_response: { public_key: Buffer.from(encodeAuthorizedKey(fresh.publicKey)) } } };
    }
    return undefined;
  }

  private init(): NonNullable<JoinRequest['bound_keypair_init']> {
    const public_keys = { public_tls_key: spkiDer(this.subject), public_ssh_key: encodeSshWirePublicKey(this.subject) };
    return {
      client_params: this.token.role === 'Instance'
        ? { host_params: { public_keys, host_name: 'fuzz-host', additional_principals: [], dns_names: [] } }
        : { bot_params: { public_keys } },
      initial_join_secret: this.token.secret ?? '',
      previous_join_state: this.withJoinState && this.token.joinState ? this.token.joinState : Buffer.alloc(0),
    };
  }
}

function tryParseKey(text: Buffer | undefined): KeyObject | undefined {
  try {
    return parseAuthorizedKey((text ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    return undefined;
  }
}
