// One bound keypair join as tbot's new join client does it (§3.3), over the
// teleport.join.v1 Join stream:
//   → ClientInit{join_method "bound_keypair", token_name, system_role "Bot"}
//   ← ServerInit{join_method, signature_algorithm_suite}
//   → BoundKeypairInit{bot_params{public keys of a fresh subject key, expires},
//                      initial_join_secret, previous_join_state}
//   ← challenge → solution | rotation request → rotation response | BotResult
// A challenge or rotation the bot cannot answer ends with GivingUp. The
// result is checked, handed to the client state (acceptResult persists the
// new active key and join state) and only then returned.
//
// Bounds beyond Teleport's client (our choice, a misbehaving server must not
// churn the key history or hold the bot): at most one rotation request and
// MAX_CHALLENGES challenges per join; the stream deadline covers the rest.
import { encodeSshWirePublicKey, generateKeyPair, hostIdentityKeyAlgorithm, spkiDer } from '../../crypto/index.js';
import type { KeyPair } from '../../crypto/index.js';
import type { BoundKeypairChallenge, BoundKeypairRotationRequest, GivingUpReason, JoinRequest, ServerInit } from '../../protocol/messages.js';
import { describeResponse } from '../../protocol/messages.js';
import type { JoinParameters } from '../state/client-state.js';
import { readBotResult } from './bot-result.js';
import { solveChallenge } from './challenge-solver.js';
import { errorFromStatus, errorMessage, localError } from './join-errors.js';
import { BotJoinStream } from './join-stream.js';
import { BotJoinError } from './join-types.js';
import type { BotIdentity, JoinOptions } from './join-types.js';
import { mutantActive } from '../../mutants/switch.js';

export const JOIN_METHOD = 'bound_keypair';
export const BOT_SYSTEM_ROLE = 'Bot';
export const MAX_CHALLENGES = 4;
export const MAX_ROTATION_REQUESTS = 1;
/** How long to let the server close the stream after the bot gave up. */
const GIVE_UP_GRACE_MS = 2_000;

export async function joinOnce(options: JoinOptions): Promise<BotIdentity> {
  if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) throw localError(`join timeout must be a positive number of milliseconds, got ${options.timeoutMs}`);
  if (!(options.certificateTtlMs > 0) || !Number.isFinite(options.certificateTtlMs)) {
    throw localError(`certificate TTL must be a positive number of milliseconds, got ${options.certificateTtlMs}`);
  }
  let stream: BotJoinStream | undefined;
  try {
    const params = options.state.joinParameters(options.registrationSecret);
    stream = new BotJoinStream(options.authAddress, options.trust, options.identity, new Date(Date.now() + options.timeoutMs));
    return await new Ceremony(stream, options, params).run();
  } catch (err) {
    throw err instanceof BotJoinError ? err : localError(errorMessage(err));
  } finally {
    stream?.close();
  }
}

class Ceremony {
  private subject: KeyPair | undefined;
  private challenges = 0;
  private rotations = 0;

  constructor(
    private readonly stream: BotJoinStream,
    private readonly options: JoinOptions,
    private readonly params: JoinParameters,
  ) {}

  async run(): Promise<BotIdentity> {
    const { tokenName, log } = this.options;
    this.stream.send({ client_init: { join_method: JOIN_METHOD, token_name: tokenName, system_role: BOT_SYSTEM_ROLE } });
    while (true) {
      const event = await this.stream.next();
      if (event.kind === 'end') {
        if (event.code !== 0) throw errorFromStatus(event.code, event.details);
        throw new BotJoinError('UNKNOWN', 'the server ended the join stream without sending a result', true);
      }
      const msg = event.message;
      log.debug('Received join message', { type: describeResponse(msg) });
      if (!this.subject && msg.init) {
        await this.onServerInit(msg.init);
      } else if (this.subject && msg.challenge?.bound_keypair_challenge) {
        await this.onChallenge(msg.challenge.bound_keypair_challenge);
      } else if (this.subject && msg.challenge?.bound_keypair_rotation_request) {
        await this.onRotationRequest(msg.challenge.bound_keypair_rotation_request);
      } else if (this.subject && msg.result?.bot_result) {
        const accepted = readBotResult(msg.result.bot_result, this.subject);
        await this.options.state.acceptResult(accepted.boundKeypair);
        this.stream.closeSend();
        return accepted.identity;
      } else {
        return this.giveUp('REASON_UNSUPPORTED_MESSAGE_TYPE', `server sent unexpected message type ${describeResponse(msg)}`);
      }
    }
  }

  private async onServerInit(init: ServerInit): Promise<void> {
    if (init.join_method !== JOIN_METHOD) {
      return this.giveUp('REASON_UNSUPPORTED_JOIN_METHOD', `server selected join method "${init.join_method ?? ''}", the bot only supports "${JOIN_METHOD}"`);
    }
    // C-JP-4: a fresh key for the certificates on every join, typed by the suite.
    let subject: KeyPair;
    try {
      subject = generateKeyPair(hostIdentityKeyAlgorithm(init.signature_algorithm_suite));
    } catch (err) {
      return this.giveUp('REASON_UNSPECIFIED', `generating the certificate key: ${errorMessage(err)}`);
    }
    this.subject = subject;
    // Mutant: bot-certificate-ttl-ignored asks for one day whatever the configured TTL.
    const ttlMs = mutantActive('bot-certificate-ttl-ignored') ? 24 * 60 * 60_000 : this.options.certificateTtlMs;
    const expiresMs = this.options.clock.now().getTime() + ttlMs;
    const request: JoinRequest = {
      bound_keypair_init: {
        client_params: {
          bot_params: {
            public_keys: { public_tls_key: spkiDer(subject.publicKey), public_ssh_key: encodeSshWirePublicKey(subject.publicKey) },
            expires: { seconds: Math.floor(expiresMs / 1000), nanos: (expiresMs % 1000) * 1_000_000 },
          },
        },
        ...(this.params.initialJoinSecret !== '' ? { initial_join_secret: this.params.initialJoinSecret } : {}),
        ...(this.params.previousJoinState.length > 0 ? { previous_join_state: this.params.previousJoinState } : {}),
      },
    };
    this.stream.send(request);
  }

  private async onChallenge(challenge: BoundKeypairChallenge): Promise<void> {
    if (++this.challenges > MAX_CHALLENGES) {
      return this.giveUp('REASON_CHALLENGE_SOLUTION_FAILED', `server sent more than ${MAX_CHALLENGES} challenges in one join`);
    }
    const keyText = (challenge.public_key ?? Buffer.alloc(0)).toString('utf8').trim();
    let key: KeyPair;
    try {
      key = this.options.state.signerFor(keyText);
    } catch (err) {
      return this.giveUp('REASON_CHALLENGE_SOLUTION_FAILED', `could not lookup signer for public key ${shorten(keyText)}: ${errorMessage(err)}`);
    }
    let solution: string;
    try {
      solution = solveChallenge(challenge.challenge ?? '', key);
    } catch (err) {
      return this.giveUp('REASON_CHALLENGE_SOLUTION_FAILED', `solving challenge: ${errorMessage(err)}`);
    }
    this.stream.send({ solution: { bound_keypair_challenge_solution: { solution: Buffer.from(solution) } } });
  }

  private async onRotationRequest(request: BoundKeypairRotationRequest): Promise<void> {
    if (++this.rotations > MAX_ROTATION_REQUESTS) {
      return this.giveUp('REASON_CHALLENGE_SOLUTION_FAILED', 'server requested more than one keypair rotation in one join');
    }
    let publicKey: string;
    try {
      // Persisted before it returns: the key is on disk before the server hears of it.
      publicKey = await this.options.state.requestNewKeypair(request.signature_algorithm_suite ?? '');
    } catch (err) {
      return this.giveUp('REASON_CHALLENGE_SOLUTION_FAILED', `requesting new keypair: ${errorMessage(err)}`);
    }
    this.stream.send({ solution: { bound_keypair_rotation_response: { public_key: Buffer.from(publicKey.trim()) } } });
  }

  /** Tells the server why, lets it close the stream, then fails locally. */
  private async giveUp(reason: GivingUpReason, msg: string): Promise<never> {
    this.stream.send({ giving_up: { reason, msg } });
    this.stream.closeSend();
    await this.stream.drain(GIVE_UP_GRACE_MS);
    throw localError(msg);
  }
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
