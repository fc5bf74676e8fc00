// Clients that leave a join half-way, the ways real ones do: once the server
// has sent its challenge, one cancels the call (RST_STREAM), one vanishes
// (its socket destroyed, no frame sent), one half-closes and waits, and one
// goes silent and leaves the server's stream deadline to end it. Each works
// on a token of its own that is never completed, so the fleet's tokens are
// untouched. What the soak then checks is that every such stream is gone
// from the server (open streams back to 0) and its memory stays flat.
import { encodeSshWirePublicKey, generateKeyPair, spkiDer } from '../../../reference/crypto/index.js';
import type { JoinRequest } from '../../../reference/protocol/messages.js';
import { TestJoinStream } from '../../../reference/auth/testing/join-test-client.js';
import { asJoinServer } from '../join-client.js';
import type { Endpoint } from '../operations.js';
import { createToken } from '../control-calls.js';
import { RawJoinStream } from './raw-join-stream.js';

export const ABANDON_MODES = ['cancel', 'vanish', 'half-close', 'silent'] as const;
export type AbandonMode = (typeof ABANDON_MODES)[number];

/** grpc status RESOURCE_EXHAUSTED: how the server ends a stream past its deadline. */
const RESOURCE_EXHAUSTED = 8;

export interface AbandoningClients {
  /** One abandoned join in the given mode; resolves when this client is done with it. */
  abandon(mode: AbandonMode): Promise<void>;
  /** Counts by mode, and anything unexpected that happened. */
  counts: Record<AbandonMode, number>;
  surprises: Record<string, number>;
}

export async function prepareAbandoningClients(endpoint: Endpoint, tokens: number, streamTimeoutMs: number): Promise<AbandoningClients> {
  const subject = generateKeyPair('ecdsa-p256');
  const names: string[] = [];
  for (let i = 0; i < tokens; i++) {
    const name = `abandoned-${i}`;
    await createToken(endpoint, { name, initialKey: generateKeyPair('ed25519').privateKey });
    names.push(name);
  }
  const init = (token: string): JoinRequest[] => [
    { client_init: { join_method: 'bound_keypair', token_name: token, system_role: 'Bot' } },
    {
      bound_keypair_init: {
        client_params: { bot_params: { public_keys: { public_tls_key: spkiDer(subject.publicKey), public_ssh_key: encodeSshWirePublicKey(subject.publicKey) } } },
        initial_join_secret: '',
        previous_join_state: Buffer.alloc(0),
      },
    },
  ];
  const counts = Object.fromEntries(ABANDON_MODES.map((m) => [m, 0])) as Record<AbandonMode, number>;
  const surprises: Record<string, number> = {};
  const surprise = (what: string) => (surprises[what] = (surprises[what] ?? 0) + 1);
  let next = 0;
  // Waits for a server message; a stream that ends before the challenge is a surprise worth counting.
  const deadlineMs = streamTimeoutMs + 10_000;

  return {
    counts,
    surprises,
    abandon: async (mode) => {
      const token = names[next++ % names.length] as string;
      const [clientInit, boundKeypairInit] = init(token) as [JoinRequest, JoinRequest];
      if (mode === 'cancel') {
        const stream = new TestJoinStream(asJoinServer(endpoint));
        try {
          stream.send(clientInit);
          const first = await stream.next(deadlineMs);
          if (first.kind !== 'message' || !first.message.init) return void surprise(`cancel: expected ServerInit, got ${first.kind}`);
          stream.send(boundKeypairInit);
          const second = await stream.next(deadlineMs);
          if (second.kind !== 'message' || !second.message.challenge) return void surprise(`cancel: expected a challenge, got ${second.kind}`);
          stream.cancel();
          counts.cancel++;
        } catch (err) {
          surprise(`cancel: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          stream.close();
        }
        return;
      }
      const stream = new RawJoinStream(endpoint);
      try {
        stream.send(clientInit);
        if (!(await stream.next(deadlineMs))?.init) return void surprise(`${mode}: no ServerInit`);
        stream.send(boundKeypairInit);
        if (!(await stream.next(deadlineMs))?.challenge) return void surprise(`${mode}: no challenge`);
        if (mode === 'vanish') {
          stream.vanish();
        } else {
          if (mode === 'half-close') stream.halfClose();
          // The server ends the stream: at once on a half-close, at its deadline when the client is silent.
          while ((await stream.next(deadlineMs)) !== undefined) surprise(`${mode}: a message after the challenge`);
          if (mode === 'silent' && stream.status !== RESOURCE_EXHAUSTED) surprise(`silent: ended with status ${stream.status}, not RESOURCE_EXHAUSTED`);
        }
        counts[mode]++;
      } catch (err) {
        surprise(`${mode}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        if (mode === 'vanish') stream.vanish();
        else stream.close();
      }
    },
  };
}
