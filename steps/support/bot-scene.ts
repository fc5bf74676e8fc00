// What the bot steps remember and read within one scenario: the runs the
// driver made (the last one is what "the bot succeeds" judges), the public
// key a keypair creation printed, and the environment a scenario adds to
// every later run (e.g. TBOT_BOUND_KEYPAIR_STATIC_KEY). Shared by the bot
// step files of every helper, so a sentence in one file sees what a
// sentence in another did.
import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { keyAlgorithmOf, parseAuthorizedKey } from '../../reference/crypto/index.js';
import type { KeyAlgorithm } from '../../reference/crypto/index.js';
import type { RunResult } from './bot-process.js';
import type { OperationOptions } from './bot-driver.js';
import type { OneShotOperation } from './bot-target.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';
import { registrationSecretOf } from './token-admin-helpers.js';
import { ACTIVE_KEY_FILE, JOIN_STATE_FILE, KEY_HISTORY_FILE, PUBLIC_KEY_FILE } from './bot-storage.js';

/** tbot's four bound keypair items (client notes §3.1). */
export const BOUND_KEYPAIR_ITEMS = [ACTIVE_KEY_FILE, PUBLIC_KEY_FILE, JOIN_STATE_FILE, KEY_HISTORY_FILE] as const;

export const REGISTRATION_SECRET_ENV = 'TBOT_REGISTRATION_SECRET';
export const STATIC_KEY_ENV = 'TBOT_BOUND_KEYPAIR_STATIC_KEY';

/** Environment a scenario gave the bot for every run from now on ("Given the bot's environment has …"). */
export const botEnvironment = scenarioState(() => new Map<string, string>());

/** Runs a one-shot operation with the scenario's environment (plus `extraEnv`, which wins). */
export async function runBot(world: BkpWorld, op: OneShotOperation, options: OperationOptions = {}): Promise<RunResult> {
  const env = { ...Object.fromEntries(botEnvironment(world)), ...(options.env ?? {}) };
  return world.bot.run(op, { ...options, env });
}

/** The bot's last one-shot run in this scenario. */
export function lastRun(world: BkpWorld): RunResult {
  const run = world.peekBot()?.runs.at(-1);
  assert.ok(run, 'the bot has not run in this scenario yet');
  return run;
}

/** Everything a run printed: stdout, then stderr. */
export function outputOf(run: RunResult): string {
  return `${run.stdout}\n${run.stderr}`;
}

/** One line naming a run and its outcome, for assertion messages. */
export function describeRun(run: RunResult): string {
  const tail = (s: string) => (s.length > 1500 ? `…${s.slice(-1500)}` : s);
  return `${run.label} exited ${run.exitCode ?? run.signal}\nstdout: ${tail(run.stdout) || '(none)'}\nstderr: ${tail(run.stderr) || '(none)'}`;
}

const AUTHORIZED_KEY = /\b(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) (AAAA[A-Za-z0-9+/]+={0,2})/g;

/**
 * The public key a keypair creation printed (client notes §4.1): the
 * `public_key` of JSON output, or the one authorized_keys key text output
 * shows (tbot prints it several times: alone, in the `tctl bots add` hint
 * and in the example token; they must all be the same key).
 */
export function printedKey(run: RunResult): string {
  const text = run.stdout.trim();
  if (text.startsWith('{')) {
    const doc = JSON.parse(text) as { public_key?: unknown };
    assert.equal(typeof doc.public_key, 'string', `${run.label} printed JSON without a public_key: ${text}`);
    return String(doc.public_key).trim();
  }
  const keys = new Set([...text.matchAll(AUTHORIZED_KEY)].map((m) => `${m[1]} ${m[2]}`));
  assert.equal(keys.size, 1, `${run.label} should print one public key in authorized_keys form; found ${keys.size}: ${[...keys].join(' | ') || run.stdout}`);
  return [...keys][0] as string;
}

/** The key printed by the bot's latest keypair creation (static or not) in this scenario. */
export function lastPrintedKey(world: BkpWorld, nth: 'last' | 'previous' = 'last'): string {
  const creations = (world.peekBot()?.runs ?? []).filter((r) => r.label === 'create_keypair' || r.label === 'create_static_keypair');
  const run = nth === 'last' ? creations.at(-1) : creations.at(-2);
  assert.ok(run, nth === 'last' ? 'the bot has not created a keypair in this scenario' : 'the bot has not created a keypair twice in this scenario');
  return printedKey(run);
}

/** The key type of an authorized_keys text, in the words features use (Ed25519, ECDSA P-256, RSA). */
export function keyTypeWords(authorizedKey: string): string {
  const words: Record<KeyAlgorithm, string> = { 'ed25519': 'Ed25519', 'ecdsa-p256': 'ECDSA P-256', 'rsa': 'RSA' };
  let key: KeyObject;
  try {
    key = parseAuthorizedKey(authorizedKey);
  } catch (e) {
    assert.fail(`not an authorized_keys public key: ${authorizedKey}: ${(e as Error).message}`);
  }
  return words[keyAlgorithmOf(key)];
}

/** The registration secret a token's status holds now. */
export async function tokenSecret(world: BkpWorld, token: string): Promise<string> {
  const secret = registrationSecretOf(await world.control.getToken(token));
  assert.ok(secret, `token "${token}" has no registration secret in its status (already used, or the token has a pre-registered key)`);
  return secret;
}
