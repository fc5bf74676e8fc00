// A bot killed with SIGKILL in the middle of its joins, again and again
// (BKP-STO-019): whatever the moment, each storage item must be whole, with
// its old or its new content. The kill moments are random (logged in the
// report); a bot that writes in place fails some of the time, a bot that
// writes a sibling and renames never does.
//
// Each round is a recovery through an insecure token: the server's clock
// first moves past the certificate's end, so the bot joins without a
// certificate and the server checks neither join state nor generation —
// a round killed after the server's commit cannot lock the next one out.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BkpWorld } from './support/world.js';
import { scenarioState } from './support/world.js';
import { advanceServerClock } from './support/clock.js';
import { BOUND_KEYPAIR_ITEMS } from './support/bot-scene.js';
import { ACTIVE_KEY_FILE, JOIN_STATE_FILE, KEY_HISTORY_FILE, PUBLIC_KEY_FILE } from './support/bot-storage.js';

const OPEN_WAIT_MS = 20_000;
/** A join with the reference server takes a few hundred milliseconds; the kill lands somewhere in it or just after. */
const KILL_WINDOW_MS = 400;

async function streamsSoFar(world: BkpWorld, token: string): Promise<number> {
  return (await world.control.listTranscripts({ token, limit: 500 })).length;
}

When('the bot recovers {int} times through token {string}, each time killed with SIGKILL at a random moment of its join', { timeout: 300_000 }, async function (this: BkpWorld, rounds: number, token: string) {
  this.bot.token = token;
  const moments: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    await advanceServerClock(this, 2 * 60 * 60_000);
    await this.bot.syncClock();
    const before = await streamsSoFar(this, token);
    const daemon = await this.bot.startDaemon();
    const deadline = Date.now() + OPEN_WAIT_MS;
    while ((await streamsSoFar(this, token)) === before) {
      assert.ok(daemon.running, `round ${round}: the bot exited before it opened a join stream\n${daemon.output()}`);
      assert.ok(Date.now() < deadline, `round ${round}: the bot opened no join stream within ${OPEN_WAIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const delay = Math.floor(Math.random() * KILL_WINDOW_MS);
    await new Promise((r) => setTimeout(r, delay));
    await daemon.kill('SIGKILL');
    moments.push(`round ${round}: killed ${delay} ms after its stream opened`);
  }
  this.attach(moments.join('\n'), 'text/plain');
});

/* Whole: each item present parses as what it is (a missing item is allowed: it was never written). */
Then('every bound keypair item in the bot\'s storage is whole', async function (this: BkpWorld) {
  const storage = await this.bot.storage();
  const present = new Set((await storage.list()).map((e) => e.name).filter((n) => (BOUND_KEYPAIR_ITEMS as readonly string[]).includes(n)));
  assert.ok(present.has(ACTIVE_KEY_FILE), 'id_bkp is gone');
  await storage.activeKey();
  if (present.has(PUBLIC_KEY_FILE)) await storage.publicKey();
  if (present.has(KEY_HISTORY_FILE)) assert.ok(((await storage.keyHistory()) ?? []).length > 0, 'bkp_key_history.json holds no entry');
  if (present.has(JOIN_STATE_FILE)) {
    const jwt = (await storage.joinState()) ?? '';
    assert.match(jwt, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, `bkp_state is not a whole compact JWT: ${JSON.stringify(jwt.slice(0, 80))}`);
  }
});

/*
 * The same property without a crash (BKP-STO-019): an item replaced by a
 * sibling renamed over it is a new file (another inode); an item rewritten in
 * place is the same file, which a crash in the middle of the write leaves
 * cut short. Seen from outside, as a reader holding the old file would.
 */
const notedFiles = scenarioState(() => new Map<string, { inode: number; content: string }>());

async function itemFile(world: BkpWorld, name: string): Promise<{ inode: number; content: string } | undefined> {
  const file = path.join((await world.bot.storage()).dir, name);
  try {
    const st = await lstat(file);
    return { inode: st.ino, content: (await readFile(file)).toString('base64') };
  } catch {
    return undefined;
  }
}

Given('the files in the bot\'s storage are noted', async function (this: BkpWorld) {
  for (const name of BOUND_KEYPAIR_ITEMS) {
    const noted = await itemFile(this, name);
    if (noted) notedFiles(this).set(name, noted);
  }
});

Then('every bound keypair item the join changed is a new file, not the noted file rewritten in place', async function (this: BkpWorld) {
  assert.ok(notedFiles(this).size > 0, 'note the files first: "Given the files in the bot\'s storage are noted"');
  const changed: string[] = [];
  for (const [name, before] of notedFiles(this)) {
    const after = await itemFile(this, name);
    if (!after || after.content === before.content) continue;
    changed.push(name);
    assert.notEqual(after.inode, before.inode, `${name} changed but is the same file (inode ${before.inode}): it was rewritten in place, not replaced by a sibling renamed over it`);
  }
  assert.ok(changed.length > 0, 'the join changed no noted item, so this says nothing');
});

