// Reading the server's transcripts (GET transcripts, docs/control-api.md):
// what a bot under test actually sent and received, message by message, as
// the server saw it. Assertions about what a bot sent are made here, never
// on what the bot says it did.
//
// "The last join through token t" is the newest transcript whose ClientInit
// named t. A bot's exit and the server's record of the stream's end race by
// a few milliseconds, so a reader waits (bounded) for the stream to end.
import assert from 'node:assert/strict';
import type { Json, Transcript } from './control-client.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';

export type TranscriptMessage = Transcript['messages'][number];

export const CLIENT_INIT = '*messages.ClientInit';
export const SERVER_INIT = '*messages.ServerInit';
export const BOUND_KEYPAIR_INIT = '*messages.BoundKeypairInit';
export const CHALLENGE = '*messages.BoundKeypairChallenge';
export const CHALLENGE_SOLUTION = '*messages.BoundKeypairChallengeSolution';
export const ROTATION_REQUEST = '*messages.BoundKeypairRotationRequest';
export const ROTATION_RESPONSE = '*messages.BoundKeypairRotationResponse';
export const BOT_RESULT = '*messages.BotResult';
export const GIVING_UP = '*messages.GivingUp';

/** How long a reader waits for an open stream to end before it reports what it has. */
const SETTLE_MS = 5_000;
const POLL_MS = 50;

/** Every transcript of a join through the token in this scenario, oldest first (at most the server's last 500). */
export async function joinsThrough(world: BkpWorld, token: string): Promise<Transcript[]> {
  return world.control.listTranscripts({ token, limit: 500 });
}

/** The newest join through the token, once it has ended (or after SETTLE_MS, still open). */
export async function lastJoinThrough(world: BkpWorld, token: string): Promise<Transcript> {
  return (await lastJoinsThrough(world, token, 1))[0] as Transcript;
}

/** The newest `count` joins through the token, oldest first, waiting for the newest to end. */
export async function lastJoinsThrough(world: BkpWorld, token: string, count: number): Promise<Transcript[]> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const all = await joinsThrough(world, token);
    const newest = all.at(-1);
    if (newest && (newest.end || Date.now() >= deadline)) {
      assert.ok(all.length >= count, `the server recorded ${all.length} join(s) through token "${token}", not the ${count} the step looks at`);
      return all.slice(-count);
    }
    if (!newest && Date.now() >= deadline) assert.fail(`the server recorded no join through token "${token}" in this scenario`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export function messagesOf(t: Transcript, direction: 'client' | 'server', type?: string): TranscriptMessage[] {
  return t.messages.filter((m) => m.direction === direction && (type === undefined || m.type === type));
}

/** The one message of a type the client sent (ClientInit, BoundKeypairInit); fails naming the stream when absent. */
export function onlyClientMessage(t: Transcript, type: string): Json {
  const found = messagesOf(t, 'client', type);
  assert.equal(found.length, 1, `join stream ${t.id} carries ${found.length} ${type} from the client, expected exactly one; it carried: ${sequence(t)}`);
  return (found[0] as TranscriptMessage).fields;
}

/** `→ ClientInit, ← ServerInit, …` for messages. */
export function sequence(t: Transcript): string {
  const list = t.messages.map((m) => `${m.direction === 'client' ? '→' : '←'} ${m.type.replace('*messages.', '')}`).join(', ');
  return `${list || '(nothing)'}; ended ${t.end ? `${t.end.code} ${JSON.stringify(t.end.message)}` : 'not yet'}`;
}

export function countOf(t: Transcript, direction: 'client' | 'server', type: string): number {
  return messagesOf(t, direction, type).length;
}

/** What BoundKeypairInit carried, as the transcript keeps it. */
export interface InitSummary {
  secretPresent: boolean;
  /** SHA-256 (hex) of the previous join state sent; undefined when none was sent. */
  previousJoinStateSha256: string | undefined;
  previousJoinStatePresent: boolean;
  /** authorized_keys form of the certificate subject's SSH key. */
  subjectSshKey: string | undefined;
  subjectTlsKey: Json | undefined;
  /** The requested certificate expiry (RFC 3339). */
  expires: string | undefined;
}

export function boundKeypairInit(t: Transcript): InitSummary {
  const f = onlyClientMessage(t, BOUND_KEYPAIR_INIT);
  const bot = ((f.client_params as Json | undefined)?.bot_params as Json | undefined) ?? {};
  const keys = (bot.public_keys as Json | undefined) ?? {};
  const previousSha = typeof f.previous_join_state_sha256 === 'string' ? f.previous_join_state_sha256 : undefined;
  return {
    secretPresent: f.initial_join_secret_present === true,
    previousJoinStateSha256: previousSha,
    previousJoinStatePresent: f.previous_join_state_present !== false && typeof f.previous_join_state === 'string',
    subjectSshKey: typeof keys.public_ssh_key === 'string' ? keys.public_ssh_key : undefined,
    subjectTlsKey: keys.public_tls_key as Json | undefined,
    expires: typeof bot.expires === 'string' ? bot.expires : undefined,
  };
}

/** The bound keypair part of the stream's BotResult; undefined when the stream carried none. */
export function resultOf(t: Transcript): { joinStateSha256: string | undefined; joinStateClaims: Json | undefined; publicKey: string | undefined } | undefined {
  const result = messagesOf(t, 'server', BOT_RESULT)[0];
  if (!result) return undefined;
  const bk = (result.fields.bound_keypair_result as Json | undefined) ?? {};
  return {
    joinStateSha256: typeof bk.join_state_sha256 === 'string' ? bk.join_state_sha256 : undefined,
    joinStateClaims: bk.join_state_claims as Json | undefined,
    publicKey: typeof bk.public_key === 'string' ? bk.public_key : undefined,
  };
}

/** The protected headers of every challenge solution the client sent, in order. */
export function solutionHeaders(t: Transcript): (Json | undefined)[] {
  return messagesOf(t, 'client', CHALLENGE_SOLUTION).map((m) => m.fields.solution_header as Json | undefined);
}

/** The keys the server's challenges named, in order (authorized_keys text as sent). */
export function challengedKeys(t: Transcript): string[] {
  return messagesOf(t, 'server', CHALLENGE).map((m) => String(m.fields.public_key ?? ''));
}

/** Whether the stream ended with a result delivered to the client. */
export function succeeded(t: Transcript): boolean {
  return t.end?.code === 'OK' && messagesOf(t, 'server', BOT_RESULT).length === 1;
}

/**
 * The newest transcript id before the bot's latest join run, so a step can
 * ask what that run (and nothing earlier) sent. Ids are never reused, and
 * `reset` empties the list, so 0 means "before any join of this scenario".
 */
const marks = scenarioState(() => ({ beforeLastRun: 0 }));

export async function noteTranscriptMark(world: BkpWorld): Promise<void> {
  const all = await world.control.listTranscripts({ limit: 500 });
  marks(world).beforeLastRun = all.reduce((max, t) => Math.max(max, t.id), 0);
}

/** Join streams (through the token, or any) that started since the bot's latest join run began. */
export async function joinsSinceLastRun(world: BkpWorld, token?: string): Promise<Transcript[]> {
  return world.control.listTranscripts({ token, after: marks(world).beforeLastRun, limit: 500 });
}
