// What the bot under test's keypair creation printed and wrote (client notes
// §4.1): the public key, its type, tbot's JSON, the static key file; and a
// proxy the bot cannot reach.
import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import type { BkpWorld } from './support/world.js';
import { scenarioState } from './support/world.js';
import { parseAuthorizedKey, parsePrivateKeyPem, publicKeyOf, publicKeysEqual } from '../reference/crypto/index.js';
import { boundKeypairStatus } from './support/server-state.js';
import { describeRun, keyTypeWords, lastPrintedKey, lastRun, outputOf, printedKey } from './support/bot-scene.js';

Then(/^the bot printed (the same public key as|a different public key than) the time before$/, function (this: BkpWorld, how: string) {
  const [before, now] = [lastPrintedKey(this, 'previous'), lastPrintedKey(this)];
  const same = publicKeysEqual(parseAuthorizedKey(before), parseAuthorizedKey(now));
  assert.equal(same, how.startsWith('the same'), `the bot printed ${now}, the time before ${before}`);
});

/* tbot's text layout (client notes §4.1): the key alone on a line, after a tab. */
Then('the bot\'s output shows the key it printed on a line of its own, indented with a tab', function (this: BkpWorld) {
  this.bot.requireCapability('tbot-messages', "expecting tbot's text layout");
  const run = lastRun(this);
  const key = lastPrintedKey(this);
  assert.ok(run.stdout.split('\n').some((line) => line === `\t${key}`), `no line reads a tab followed by ${key}\n${describeRun(run)}`);
});

Then('the key printed by the bot is a(n) {keytype} key', function (this: BkpWorld, keytype: string) {
  const key = lastPrintedKey(this);
  assert.equal(keyTypeWords(key), keytype, `the bot printed ${key}`);
});

/* BKP-CLI-036: one JSON object and exactly these fields ("public_key" or "public_key and private_key"). */
Then('the bot printed one JSON object with exactly the field(s) {}', function (this: BkpWorld, list: string) {
  const run = lastRun(this);
  let doc: unknown;
  try {
    doc = JSON.parse(run.stdout);
  } catch (e) {
    assert.fail(`stdout is not one JSON document: ${(e as Error).message}\n${describeRun(run)}`);
  }
  assert.ok(doc !== null && typeof doc === 'object' && !Array.isArray(doc), `stdout is not a JSON object: ${run.stdout}`);
  const wanted = list.split(/,|\band\b/).map((s) => s.trim().replace(/^"|"$/g, '')).filter(Boolean).sort();
  assert.deepEqual(Object.keys(doc).sort(), wanted);
  printedKey(run);
});

/* The static key file holds the private half of the printed key (BKP-STK-001). */
Then('the static key file holds the private key of the key printed by the bot', async function (this: BkpWorld) {
  const pem = await staticKeyPem(this);
  const key = parsePrivateKeyPem(pem);
  assert.ok(publicKeysEqual(publicKeyOf(key), parseAuthorizedKey(lastPrintedKey(this))), 'the static key file holds another key than the one printed');
});

/* BKP-CLI-036: private_key is the standard base64 (with padding) of the static key file's PEM. */
Then('the private_key the bot printed is the standard base64 of the static key file', async function (this: BkpWorld) {
  const doc = JSON.parse(lastRun(this).stdout) as { private_key?: unknown };
  const pem = await staticKeyPem(this);
  assert.equal(doc.private_key, Buffer.from(pem, 'utf8').toString('base64'));
});

Then('the static key file is readable and writable by its owner only', async function (this: BkpWorld) {
  const file = (await this.bot.paths()).staticKeyPath;
  const st = await stat(file);
  assert.equal(st.mode & 0o777, 0o600, `the static key file has mode 0${(st.mode & 0o777).toString(8)}`);
});

Then('no public key file was written next to the static key file', async function (this: BkpWorld) {
  const file = (await this.bot.paths()).staticKeyPath;
  const pub = await stat(`${file}.pub`).catch(() => undefined);
  assert.equal(pub, undefined, `${file}.pub exists`);
});

/** The static key file's bytes when noted (BKP-STK-002, BKP-STK-004). */
const notedStaticKey = scenarioState(() => ({ pem: undefined as string | undefined }));

Given('the static key file is noted', async function (this: BkpWorld) {
  notedStaticKey(this).pem = await staticKeyPem(this);
});

Then('the static key file is as noted', async function (this: BkpWorld) {
  const before = notedStaticKey(this).pem;
  assert.ok(before !== undefined, 'note the static key file first: "Given the static key file is noted"');
  assert.equal(await staticKeyPem(this), before, 'the static key file changed');
});

async function staticKeyPem(world: BkpWorld): Promise<string> {
  const file = (await world.bot.paths()).staticKeyPath;
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => assert.fail(`static key file ${file}: ${e.code ?? e.message}`));
}

Given('the static key file holds {string}', async function (this: BkpWorld, text: string) {
  await this.bot.writeStaticKey(text);
});

/* The token still names the key the bot printed (a refused rotation changed nothing). */
Then('the token {string} is still bound to the key printed by the bot', async function (this: BkpWorld, token: string) {
  const bound = String(boundKeypairStatus(await this.control.getToken(token)).bound_public_key ?? '');
  assert.ok(bound && publicKeysEqual(parseAuthorizedKey(bound), parseAuthorizedKey(lastPrintedKey(this))), `token "${token}" is bound to ${bound || '(nothing)'}, the bot printed ${lastPrintedKey(this)}`);
});

/* BKP-CLI-034: no PEM block and no line of the stored private key appears in the output. */
Then('the bot\'s output does not show its private key', async function (this: BkpWorld) {
  const run = lastRun(this);
  const out = outputOf(run);
  assert.ok(!/PRIVATE KEY/.test(out), `the output shows a PEM private key\n${describeRun(run)}`);
  const pem = (await (await this.bot.storage()).read('id_bkp'))?.toString('utf8') ?? '';
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  assert.ok(body.length > 0, 'the storage holds no id_bkp to compare with');
  assert.ok(!out.replace(/\s/g, '').includes(body), 'the output contains the private key');
  assert.ok(!out.includes(Buffer.from(pem).toString('base64').slice(0, 40)), 'the output contains the base64 of the private key PEM');
});

/* BKP-CLI-031: an address where nothing listens (a port bound, then released). */
Given('the proxy address the bot is given is one where nothing listens', async function (this: BkpWorld) {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  this.bot.webAddrOverride = `127.0.0.1:${port}`;
});
