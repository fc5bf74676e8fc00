// The bot under test, driven only through the bot contract
// (docs/bot-contract.md): it creates keypairs and joins the suite's
// reference server once per sentence, and the sentences here judge how the
// run ended and what it printed. What it sent is read from the server's
// transcripts (bot-wire.steps.ts), what it kept from its storage
// (bot-storage.steps.ts).
//
// Every join sentence snapshots the server first, so "nothing changed on
// the server" (state.steps.ts) judges a refused bot join as it judges any.
import { Given, When, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import type { OneShotOperation } from './support/bot-target.js';
import type { OperationOptions } from './support/bot-driver.js';
import type { RunResult } from './support/bot-process.js';
import { takeSnapshot } from './support/snapshot.js';
import { readFile } from 'node:fs/promises';
import { resolvePlaceholders, setPath, typedValue } from './support/values.js';
import { newKey } from './support/keys.js';
import { REGISTRATION_SECRET_ENV, STATIC_KEY_ENV, botEnvironment, describeRun, lastPrintedKey, lastRun, outputOf, runBot, tokenSecret } from './support/bot-scene.js';
import { noteTranscriptMark } from './support/transcripts.js';

// ---------------------------------------------------------------- keypair creation

/*
 * `tbot keypair create` (client notes §4.1): the bot asks the proxy's
 * /webapi/find for the suite, writes the key to its storage and prints the
 * public key. "again" only reads better; "with --overwrite" replaces an
 * existing key; "in JSON" asks for --format json (capability json-output).
 */
When(/^the bot creates a (static )?keypair(?: again)?( with --overwrite)?( in JSON)?$/, async function (this: BkpWorld, isStatic: string | undefined, overwrite: string | undefined, json: string | undefined) {
  if (isStatic) this.bot.requireCapability('static-keys', 'creating a static keypair');
  await runBot(this, isStatic ? 'create_static_keypair' : 'create_keypair', { overwrite: Boolean(overwrite), json: Boolean(json) });
});

Given(/^the bot has created a (static )?keypair$/, async function (this: BkpWorld, isStatic: string | undefined) {
  if (isStatic) this.bot.requireCapability('static-keys', 'creating a static keypair');
  const run = await runBot(this, isStatic ? 'create_static_keypair' : 'create_keypair');
  assert.equal(run.exitCode, 0, `setting the scene: keypair creation failed\n${describeRun(run)}`);
});

/** A bot token pre-registering the printed key: standard mode, limit 1, unless the table says otherwise. */
async function registerPrintedKey(world: BkpWorld, token: string, bot: string, table?: DataTable): Promise<void> {
  const doc: Json = {
    kind: 'token', version: 'v2', metadata: { name: token },
    spec: {
      roles: ['Bot'], bot_name: bot, join_method: 'bound_keypair',
      bound_keypair: { onboarding: { initial_public_key: lastPrintedKey(world) }, recovery: { mode: 'standard', limit: 1 } },
    },
  };
  for (const [field, raw] of table?.raw() ?? []) {
    const path = /^(metadata|spec|status)\./.test(field ?? '') ? String(field) : `spec.bound_keypair.${field ?? ''}`;
    setPath(doc, path, await typedValue(world, raw ?? ''));
  }
  await world.control.createToken(doc);
}

/* W-2: keypair create, then the admin registers the printed key (standard mode, limit 1). */
Given(/^the bot holds a (static )?keypair registered with token "([^"]+)" for bot "([^"]+)"$/, async function (this: BkpWorld, isStatic: string | undefined, token: string, bot: string) {
  await createAndRegister(this, Boolean(isStatic), token, bot);
});

/* The same, the table setting fields under spec.bound_keypair (or a full path). */
Given(/^the bot holds a (static )?keypair registered with token "([^"]+)" for bot "([^"]+)" with:$/, async function (this: BkpWorld, isStatic: string | undefined, token: string, bot: string, table: DataTable) {
  await createAndRegister(this, Boolean(isStatic), token, bot, table);
});

async function createAndRegister(world: BkpWorld, isStatic: boolean, token: string, bot: string, table?: DataTable): Promise<void> {
  if (isStatic) world.bot.requireCapability('static-keys', 'creating a static keypair');
  const run = await runBot(world, isStatic ? 'create_static_keypair' : 'create_keypair');
  assert.equal(run.exitCode, 0, `setting the scene: keypair creation failed\n${describeRun(run)}`);
  await registerPrintedKey(world, token, bot, table);
  world.bot.token = token;
}

// ---------------------------------------------------------------- joins

type SecretSource = 'flag' | 'file' | 'file-padded' | 'env';

/** One one-shot join through `token`, the server snapshotted first. */
async function joinOnce(world: BkpWorld, token: string, op: OneShotOperation, options: OperationOptions = {}): Promise<RunResult> {
  world.bot.token = token;
  world.before = await takeSnapshot(world.control);
  await noteTranscriptMark(world);
  return runBot(world, op, options);
}

async function joinWithSecret(world: BkpWorld, token: string, secret: string, source: SecretSource): Promise<RunResult> {
  switch (source) {
    case 'flag':
      world.bot.secret = secret;
      return joinOnce(world, token, 'join_with_secret');
    case 'file':
    case 'file-padded':
      // tbot trims the file's contents (client notes §4.4).
      await world.bot.writeSecretFile(source === 'file' ? secret : ` \t${secret}\n\n`);
      return joinOnce(world, token, 'join_with_secret_file');
    case 'env':
      world.bot.requireCapability('registration-secret-env', `reading ${REGISTRATION_SECRET_ENV}`);
      return joinOnce(world, token, 'join_once', { env: { [REGISTRATION_SECRET_ENV]: secret } });
  }
}

const SOURCES: Record<string, SecretSource> = {
  '': 'flag', ' in a file': 'file', ' in a file, surrounded by whitespace': 'file-padded', ' in the environment': 'env',
};

/* With what the storage holds (a pre-registered key, or the state of earlier joins). */
When('the bot joins once with token {string}', async function (this: BkpWorld, token: string) {
  await joinOnce(this, token, 'join_once');
});

/* The secret the token's status holds, given as a flag, a file or TBOT_REGISTRATION_SECRET. */
When(/^the bot joins once with the registration secret of token "([^"]+)"( in a file| in a file, surrounded by whitespace| in the environment)?$/, async function (this: BkpWorld, token: string, where: string | undefined) {
  await joinWithSecret(this, token, await tokenSecret(this, token), SOURCES[where ?? ''] as SecretSource);
});

/* A literal secret (e.g. a wrong one), given as --registration-secret. */
When('the bot joins once with token {string} and the registration secret {string}', async function (this: BkpWorld, token: string, secret: string) {
  await joinWithSecret(this, token, secret, 'flag');
});

/* The secret given before, still configured after it has been used (BKP-CLI-001). */
When('the bot joins once with token {string} and the same registration secret', async function (this: BkpWorld, token: string) {
  const secret = this.peekBot()?.secret;
  assert.ok(secret, 'the bot was given no registration secret before in this scenario');
  await joinWithSecret(this, token, secret, 'flag');
});

When('the bot joins once with token {string} using its static key', async function (this: BkpWorld, token: string) {
  this.bot.requireCapability('static-keys', 'joining with a static key');
  await joinOnce(this, token, 'join_with_static_key');
});

Given(/^the bot has joined once with (?:token "([^"]+)"( using its static key)?|the registration secret of token "([^"]+)")$/, async function (this: BkpWorld, token: string | undefined, isStatic: string | undefined, secretOf: string | undefined) {
  if (isStatic) this.bot.requireCapability('static-keys', 'joining with a static key');
  const run = secretOf
    ? await joinWithSecret(this, secretOf, await tokenSecret(this, secretOf), 'flag')
    : await joinOnce(this, token ?? '', isStatic ? 'join_with_static_key' : 'join_once');
  assert.equal(run.exitCode, 0, `setting the scene: the join should have succeeded\n${describeRun(run)}`);
});

// ---------------------------------------------------------------- the bot's environment

/*
 * A variable every later run of the bot sees (the contract's scenario env,
 * which wins over the target's). Values may use the placeholders of
 * support/values.ts and `<the static key file in base64>` or `<a new Ed25519
 * key in base64>` (standard base64 of a PEM, as TBOT_BOUND_KEYPAIR_STATIC_KEY
 * takes it).
 */
Given('the bot\'s environment has {word} set to {string}', async function (this: BkpWorld, name: string, raw: string) {
  if (name === REGISTRATION_SECRET_ENV) this.bot.requireCapability('registration-secret-env', `setting ${name}`);
  if (name === STATIC_KEY_ENV) this.bot.requireCapability('static-keys', `setting ${name}`);
  let value = await resolvePlaceholders(this, raw);
  if (value.includes(STATIC_FILE_B64)) value = value.replaceAll(STATIC_FILE_B64, (await readFile((await this.bot.paths()).staticKeyPath)).toString('base64'));
  if (value.includes(NEW_KEY_B64)) value = value.replaceAll(NEW_KEY_B64, Buffer.from(newKey('ed25519').privateKeyPem).toString('base64'));
  botEnvironment(this).set(name, value);
});

const STATIC_FILE_B64 = '<the static key file in base64>';
const NEW_KEY_B64 = '<a new Ed25519 key in base64>';

// ---------------------------------------------------------------- how the run ended

Then('the bot succeeds', function (this: BkpWorld) {
  const run = lastRun(this);
  assert.equal(run.exitCode, 0, `expected the bot to succeed\n${describeRun(run)}`);
});

Then('the bot fails', function (this: BkpWorld) {
  const run = lastRun(this);
  assert.ok(run.exitCode !== null && run.exitCode !== 0, `expected the bot to exit non-zero\n${describeRun(run)}`);
});

/* join_failed, usage or local_state, as the target's exit_codes say (capability exit-codes). */
Then('the bot fails with the {word} exit code', function (this: BkpWorld, kind: string) {
  assert.ok(['join_failed', 'usage', 'local_state'].includes(kind), `unknown exit code kind "${kind}": use join_failed, usage or local_state`);
  const expected = this.bot.exitCode(kind as 'join_failed' | 'usage' | 'local_state');
  const run = lastRun(this);
  assert.equal(run.exitCode, expected, `expected exit code ${expected} (${kind})\n${describeRun(run)}`);
});

/* A refusal shown verbatim (BKP-CLI-026): every bot must, so no capability is needed. */
Then('the bot reports the server\'s error {string}', function (this: BkpWorld, text: string) {
  const run = lastRun(this);
  assert.ok(outputOf(run).includes(text), `the bot's output does not contain the server's error "${text}"\n${describeRun(run)}`);
});

/* tbot's own texts: only bots that declare tbot-messages promise them. */
Then('the bot\'s output says {string}', function (this: BkpWorld, text: string) {
  this.bot.requireCapability('tbot-messages', `expecting the text "${text}"`);
  const run = lastRun(this);
  assert.ok(outputOf(run).includes(text), `the bot's output does not say "${text}"\n${describeRun(run)}`);
});

/* tbot's texts that it wraps over several lines: every run of whitespace counts as one space. */
Then('the bot\'s output says, ignoring line breaks, {string}', function (this: BkpWorld, text: string) {
  this.bot.requireCapability('tbot-messages', `expecting the text "${text}"`);
  const run = lastRun(this);
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  assert.ok(flat(outputOf(run)).includes(flat(text)), `the bot's output does not say "${text}"\n${describeRun(run)}`);
});

Then('the bot\'s output does not say {string}', function (this: BkpWorld, text: string) {
  const run = lastRun(this);
  assert.ok(!outputOf(run).includes(text), `the bot's output says "${text}"\n${describeRun(run)}`);
});
