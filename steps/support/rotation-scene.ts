// What the keypair rotation (ROT) scenarios remember between steps — keys
// the story gives names (K1, K2, …), the texts a failed rotation was
// refused with — and the one join the ceremony runner cannot play: a bot
// that answers the rotation request with some other message than its new
// key. Everything here speaks the join protocol or reads what a client
// holds; nothing reaches into the server.
import type { BotResult, BoundKeypairChallenge, BoundKeypairRotationRequest, JoinRequest, ServerInit } from '../../reference/protocol/messages.js';
import { encodeSshWirePublicKey } from '../../reference/crypto/index.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';
import type { JoinOutcome } from './ceremony.js';
import { signChallenge } from './ceremony.js';
import type { ClientIdentity, StreamEnd } from './join-connection.js';
import { JoinConnection } from './join-connection.js';
import type { KeyHolder } from './keys.js';
import { findKey, newKey } from './keys.js';
import { takeSnapshot } from './snapshot.js';

interface RotationScene {
  /** Keys the story named ("K1", "K2", …), as the bot held them. */
  named: Map<string, KeyHolder>;
  /** The texts the last failed rotation was refused with, as the scenario asserted them. */
  refusalTexts: string[];
}

export const rotationScene = scenarioState<RotationScene>(() => ({ named: new Map(), refusalTexts: [] }));

export function namedKey(world: BkpWorld, name: string): KeyHolder {
  const key = rotationScene(world).named.get(name);
  if (!key) throw new Error(`no key is called "${name}" in this scenario; name it first (e.g. 'Given the key "alice" holds now is called "${name}"')`);
  return key;
}

/** The messages a bot may send instead of its new key, by the words a feature uses. */
export type InsteadOfNewKey = 'a challenge solution' | 'a second BoundKeypairInit';

/**
 * One join in which the bot answers every challenge honestly with the keys
 * it holds, but answers the rotation request with another message. Like the
 * shared join(), it snapshots the server first and leaves its outcome in
 * the World, so the shared "the join fails …" and "nothing changed …"
 * steps apply.
 */
export async function joinAnsweringRotationWith(
  world: BkpWorld,
  clientName: string,
  plan: { tokenName: string; identity: ClientIdentity | undefined; instead: InsteadOfNewKey },
): Promise<JoinOutcome> {
  const client = world.client(clientName);
  world.before = await takeSnapshot(world.control);
  const subject = newKey('ecdsa-p256');
  const conn = new JoinConnection(world.join, plan.identity);
  const challenges: BoundKeypairChallenge[] = [];
  const rotationRequests: BoundKeypairRotationRequest[] = [];
  let serverInit: ServerInit | undefined;
  let result: BotResult | undefined;
  let clientError: string | undefined;
  const bkInit: JoinRequest = {
    bound_keypair_init: {
      client_params: {
        bot_params: {
          public_keys: {
            public_tls_key: subject.publicKey.export({ format: 'der', type: 'spki' }),
            public_ssh_key: encodeSshWirePublicKey(subject.publicKey),
          },
        },
      },
      ...(client.joinState ? { previous_join_state: client.joinState } : {}),
    },
  };
  let end: StreamEnd;
  try {
    conn.send({ client_init: { token_name: plan.tokenName, system_role: 'Bot' } });
    while (true) {
      const event = await conn.next();
      if (event.kind === 'end') {
        end = event.end;
        break;
      }
      const msg = event.message;
      if (msg.init) {
        serverInit = msg.init;
        conn.send(bkInit);
      } else if (msg.challenge?.bound_keypair_challenge) {
        const challenge = msg.challenge.bound_keypair_challenge;
        challenges.push(challenge);
        const key = findKey(client.keys, (challenge.public_key ?? Buffer.alloc(0)).toString('utf8'));
        if (!key) {
          clientError = `no matching key found for ${(challenge.public_key ?? Buffer.alloc(0)).toString('utf8')}`;
          conn.cancel();
          end = await conn.end();
          break;
        }
        const solution = await signChallenge(challenge.challenge ?? '', { key });
        conn.send({ solution: { bound_keypair_challenge_solution: { solution: Buffer.from(solution) } } });
      } else if (msg.challenge?.bound_keypair_rotation_request) {
        rotationRequests.push(msg.challenge.bound_keypair_rotation_request);
        if (plan.instead === 'a challenge solution') {
          // A well-formed solution, signed by the bound key, over the last challenge document.
          const key = client.keys[0] ?? newKey('ed25519');
          const solution = await signChallenge(challenges.at(-1)?.challenge ?? '{}', { key });
          conn.send({ solution: { bound_keypair_challenge_solution: { solution: Buffer.from(solution) } } });
        } else {
          conn.send(bkInit);
        }
        end = await conn.end();
        break;
      } else if (msg.result?.bot_result) {
        result = msg.result.bot_result;
        conn.closeSend();
      } else {
        clientError = `server sent unexpected message type ${JSON.stringify(Object.keys(msg))}`;
        conn.cancel();
        end = await conn.end();
        break;
      }
    }
  } finally {
    conn.close();
  }
  const outcome: JoinOutcome = {
    ok: end.code === 0 && result !== undefined,
    end,
    challenges,
    rotationRequests,
    offeredKeys: [],
    wire: conn.wire,
    ...(serverInit ? { serverInit } : {}),
    ...(result ? { result } : {}),
    ...(clientError ? { clientError } : {}),
  };
  world.lastOutcome = outcome;
  world.lastClient = clientName;
  return outcome;
}
