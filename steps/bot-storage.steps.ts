// What the bot under test keeps in its storage directory, for bots that lay
// it out as tbot does (capability tbot-layout, client notes §3.1): the four
// bound keypair items id_bkp, id_bkp.pub, bkp_state, bkp_key_history.json.
// Other files (a bot's own identity files) are not judged here.
import { Given, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { BkpWorld } from './support/world.js';
import { scenarioState } from './support/world.js';
import { parseAuthorizedKey, publicKeysEqual } from '../reference/crypto/index.js';
import { ACTIVE_KEY_FILE, JOIN_STATE_FILE } from './support/bot-storage.js';
import { BOUND_KEYPAIR_ITEMS, lastPrintedKey } from './support/bot-scene.js';
import { boundKeypairStatus } from './support/server-state.js';
import { lastJoinThrough, resultOf, sequence } from './support/transcripts.js';

async function boundTokenKey(world: BkpWorld, token: string): Promise<string> {
  const bound = String(boundKeypairStatus(await world.control.getToken(token)).bound_public_key ?? '');
  assert.ok(bound, `token "${token}" has no bound public key`);
  return bound;
}

function sameKey(a: string, b: string): boolean {
  return publicKeysEqual(parseAuthorizedKey(a), parseAuthorizedKey(b));
}

Then('the bot\'s active key is the key bound to token {string}', async function (this: BkpWorld, token: string) {
  const active = await (await this.bot.storage()).activeKey();
  const bound = await boundTokenKey(this, token);
  assert.ok(sameKey(active.authorizedKey, bound), `id_bkp holds ${active.authorizedKey}, token "${token}" is bound to ${bound}`);
});

Then('the bot\'s active key is the public key printed by the bot', async function (this: BkpWorld) {
  const active = await (await this.bot.storage()).activeKey();
  assert.ok(sameKey(active.authorizedKey, lastPrintedKey(this)), `id_bkp holds ${active.authorizedKey}, the bot printed ${lastPrintedKey(this)}`);
});

/*
 * The bound keypair items present, each a regular file with the mode given
 * (e.g. 0600); the items the table does not list must not exist.
 */
Then('the bot\'s storage holds:', async function (this: BkpWorld, table: DataTable) {
  const entries = await (await this.bot.storage()).list();
  const expected = new Map(table.hashes().map((r) => [r.file ?? '', r.mode ?? '']));
  for (const name of expected.keys()) assert.ok((BOUND_KEYPAIR_ITEMS as readonly string[]).includes(name), `"${name}" is not a bound keypair item (${BOUND_KEYPAIR_ITEMS.join(', ')})`);
  const actual = entries.filter((e) => (BOUND_KEYPAIR_ITEMS as readonly string[]).includes(e.name));
  const shown = actual.map((e) => `${e.name} (${e.kind}, 0${e.mode.toString(8)})`).join(', ') || '(none)';
  assert.deepEqual(actual.map((e) => e.name).sort(), [...expected.keys()].sort(), `the storage holds ${shown}`);
  for (const e of actual) {
    assert.equal(e.kind, 'file', `${e.name} is a ${e.kind}`);
    assert.equal(`0${e.mode.toString(8)}`, expected.get(e.name), `mode of ${e.name}`);
  }
});

Then('the bot\'s storage holds no bound keypair item', async function (this: BkpWorld) {
  const storage = await this.bot.storage();
  for (const name of BOUND_KEYPAIR_ITEMS) assert.ok(!(await storage.exists(name)), `the storage holds ${name}`);
});

Then('the bot\'s storage directory exists and is not writable by group or others', async function (this: BkpWorld) {
  const dir = (await this.bot.storage()).dir;
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) assert.fail(`the storage directory ${dir} does not exist`);
  assert.equal(st.mode & 0o022, 0, `the storage directory has mode 0${(st.mode & 0o777).toString(8)}`);
});

/* BKP-STO-003: exactly one authorized_keys line, newline-terminated, the same key as id_bkp. */
Then('the bot\'s id_bkp.pub holds the active public key on one line ending in a newline', async function (this: BkpWorld) {
  const storage = await this.bot.storage();
  const { text, key } = await storage.publicKey();
  assert.match(text, /^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) [A-Za-z0-9+/=]+( [^\n]*)?\n$/, `id_bkp.pub reads ${JSON.stringify(text)}`);
  assert.ok(publicKeysEqual(key, (await storage.activeKey()).publicKey), 'id_bkp.pub does not match id_bkp');
});

/* BKP-STO-002: PRIVATE KEY (PKCS#8) for Ed25519 and ECDSA, RSA PRIVATE KEY (PKCS#1) for RSA. */
Then('the bot\'s id_bkp holds one {string} PEM block', async function (this: BkpWorld, label: string) {
  const storage = await this.bot.storage();
  const text = (await storage.read(ACTIVE_KEY_FILE))?.toString('utf8') ?? '';
  assert.equal([...text.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].length, 1, `id_bkp holds ${[...text.matchAll(/-----BEGIN/g)].length} PEM blocks`);
  assert.equal((await storage.activeKey()).pemLabel, label);
});

/* BKP-STO-004 (compared by SHA-256: the transcript keeps the digest, never the document). */
Then('the bot\'s bkp_state holds, byte for byte, the join state the last join through token {string} returned', async function (this: BkpWorld, token: string) {
  const t = await lastJoinThrough(this, token);
  const returned = resultOf(t)?.joinStateSha256;
  assert.ok(returned, `stream ${t.id} returned no join state: ${sequence(t)}`);
  const stored = await (await this.bot.storage()).read(JOIN_STATE_FILE);
  assert.ok(stored, 'the storage holds no bkp_state');
  assert.equal(createHash('sha256').update(stored).digest('hex'), returned, `bkp_state (${stored.length} bytes) is not the join state of stream ${t.id}`);
});

const HISTORY_ROWS = /^the active key$|^the public key printed by the bot$|^the key bound to token "([^"]+)"$/;

/*
 * BKP-STO-005: bkp_key_history.json as {"entries":[{time, private_key}]},
 * newest first; each row names a key: "the active key", "the public key
 * printed by the bot", "the key bound to token "t"".
 */
Then('the bot\'s key history holds, newest first:', async function (this: BkpWorld, table: DataTable) {
  const storage = await this.bot.storage();
  const history = await storage.keyHistory();
  assert.ok(history, 'the storage holds no bkp_key_history.json');
  const rows = table.raw().map((r) => r[0] ?? '');
  const keys = history.map((e) => e.key.authorizedKey);
  assert.equal(keys.length, rows.length, `the key history holds ${keys.length} keys: ${keys.join(' | ')}`);
  for (const [i, row] of rows.entries()) {
    const m = HISTORY_ROWS.exec(row);
    assert.ok(m, `unknown key "${row}": say "the active key", "the public key printed by the bot" or 'the key bound to token "t"'`);
    const wanted = row === 'the active key' ? (await storage.activeKey()).authorizedKey : m[1] ? await boundTokenKey(this, m[1]) : lastPrintedKey(this);
    assert.ok(sameKey(keys[i] ?? '', wanted), `history entry ${i + 1} is ${keys[i]}, expected ${row} (${wanted})`);
  }
  const times = history.map((e) => Date.parse(e.time));
  assert.deepEqual([...times].sort((a, b) => b - a), times, `the entries are not newest first: ${history.map((e) => e.time).join(', ')}`);
});

// ---------------------------------------------------------------- before and after

/** Every bound keypair item's bytes when noted (undefined: absent). */
const noted = scenarioState(() => new Map<string, string | undefined>());

Given('the bot\'s storage is noted', async function (this: BkpWorld) {
  const storage = await this.bot.storage();
  for (const name of BOUND_KEYPAIR_ITEMS) noted(this).set(name, (await storage.read(name))?.toString('base64'));
});

/* BKP-CLI-027, BKP-CLI-032: every item as noted, byte for byte, none added or removed. */
Then('the bot\'s storage is as noted', async function (this: BkpWorld) {
  assert.ok(noted(this).size > 0, 'note the storage first: "Given the bot\'s storage is noted"');
  const storage = await this.bot.storage();
  for (const name of BOUND_KEYPAIR_ITEMS) {
    const now = (await storage.read(name))?.toString('base64');
    const then = noted(this).get(name);
    assert.equal(now === undefined ? 'absent' : now === then ? 'unchanged' : 'changed', then === undefined ? 'absent' : 'unchanged', `${name} ${then === undefined ? 'was absent' : 'was present'} when noted`);
  }
});
