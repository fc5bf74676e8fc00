// What the client rotation scenarios (CRT) remember and read: the bot's keys
// the story names ("K1", "K2", …, as public keys in authorized_keys form,
// learnt from the server's status or from what the bot offered on the wire),
// a join the bot runs in the background while the server holds it, and the
// rotation exchange as the server's transcript shows it.
import assert from 'node:assert/strict';
import { parseAuthorizedKey, publicKeysEqual } from '../../reference/crypto/index.js';
import type { Transcript } from './control-client.js';
import type { RunResult } from './bot-process.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';
import { boundKeypairStatus } from './server-state.js';
import { CHALLENGE, CHALLENGE_SOLUTION, ROTATION_RESPONSE, messagesOf, sequence } from './transcripts.js';

interface BotRotationScene {
  /** Keys the story named, authorized_keys text as first seen. */
  named: Map<string, string>;
  /** A one-shot join started without waiting for it (the server may hold it). */
  pending: Promise<RunResult> | undefined;
}

export const botRotationScene = scenarioState<BotRotationScene>(() => ({ named: new Map(), pending: undefined }));

export function sameKey(a: string, b: string): boolean {
  try {
    return publicKeysEqual(parseAuthorizedKey(a), parseAuthorizedKey(b));
  } catch {
    return false;
  }
}

export function nameBotKey(world: BkpWorld, name: string, key: string): void {
  const named = botRotationScene(world).named;
  const earlier = named.get(name);
  assert.ok(earlier === undefined || sameKey(earlier, key), `"${name}" already names another key (${earlier}); now ${key}`);
  named.set(name, key);
}

export function botKey(world: BkpWorld, name: string): string {
  const key = botRotationScene(world).named.get(name);
  assert.ok(key, `no bot key is called "${name}" in this scenario; name it first (e.g. 'Given the bot key bound to token "robot-token" is called "${name}"')`);
  return key;
}

/** "K2 (ssh-ed25519 AAAA…)" for a key the story named, else the key itself: assertion messages read better. */
export function describeKey(world: BkpWorld, key: string): string {
  for (const [name, k] of botRotationScene(world).named) if (sameKey(k, key)) return `${name} (${key.slice(0, 40)}…)`;
  return key;
}

export async function boundKeyOf(world: BkpWorld, token: string): Promise<string> {
  const bound = String(boundKeypairStatus(await world.control.getToken(token)).bound_public_key ?? '');
  assert.ok(bound, `token "${token}" has no bound public key`);
  return bound;
}

/** The newest join stream through the token, open or ended, without waiting (a held stream stays open). */
export async function newestJoinThrough(world: BkpWorld, token: string): Promise<Transcript> {
  const t = (await world.control.listTranscripts({ token, limit: 500 })).at(-1);
  assert.ok(t, `the server recorded no join through token "${token}" in this scenario`);
  return t;
}

/** The public key of the stream's one rotation response, as sent. */
export function offeredKey(t: Transcript): string {
  const responses = messagesOf(t, 'client', ROTATION_RESPONSE);
  assert.equal(responses.length, 1, `join stream ${t.id} carries ${responses.length} rotation responses, expected one: ${sequence(t)}`);
  return String(responses[0]?.fields.public_key ?? '');
}

/** The message types of the stream, without the `*messages.` prefix. */
export function typesOf(t: Transcript): string[] {
  return t.messages.map((m) => m.type.replace('*messages.', ''));
}

/** What the exchange of a rotation join must look like, message by message. */
export const RENEWAL_WITH_ROTATION = [
  'ClientInit', 'ServerInit', 'BoundKeypairInit',
  'BoundKeypairChallenge', 'BoundKeypairChallengeSolution',
  'BoundKeypairRotationRequest', 'BoundKeypairRotationResponse',
  'BoundKeypairChallenge', 'BoundKeypairChallengeSolution', 'BotResult',
];
export const ONBOARDING_WITH_SECRET = [
  'ClientInit', 'ServerInit', 'BoundKeypairInit',
  'BoundKeypairRotationRequest', 'BoundKeypairRotationResponse',
  'BoundKeypairChallenge', 'BoundKeypairChallengeSolution', 'BotResult',
];

/** The keys the server's challenges named, in order. */
export function challenged(t: Transcript): string[] {
  return messagesOf(t, 'server', CHALLENGE).map((m) => String(m.fields.public_key ?? ''));
}

/** The protected header of the solution that followed the n-th challenge (0-based). */
export function solutionAfterChallenge(t: Transcript, n: number): Record<string, unknown> | undefined {
  let seen = -1;
  for (const [i, m] of t.messages.entries()) {
    if (m.direction === 'server' && m.type === CHALLENGE && ++seen === n) {
      const next = t.messages.slice(i + 1).find((x) => x.direction === 'client');
      return next?.type === CHALLENGE_SOLUTION ? ((next.fields.solution_header as Record<string, unknown> | undefined) ?? {}) : undefined;
    }
  }
  return undefined;
}
