// Damage done to the bot under test's files before it runs: a storage item
// missing, empty, garbage or unreadable (client notes §3.1 C-LD-1..5), the
// whole storage directory gone or not writable, the static key file gone.
// Items are named as tbot names them, so these need capability tbot-layout.
import { After, Given } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, rm, symlink, writeFile, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BkpWorld } from './support/world.js';
import { scenarioState } from './support/world.js';
import { BOUND_KEYPAIR_ITEMS } from './support/bot-scene.js';

const run = promisify(execFile);

async function itemPath(world: BkpWorld, item: string): Promise<string> {
  assert.ok((BOUND_KEYPAIR_ITEMS as readonly string[]).includes(item), `"${item}" is not a bound keypair item (${BOUND_KEYPAIR_ITEMS.join(', ')})`);
  return path.join((await world.bot.storage()).dir, item);
}

Given('the bot\'s {word} is missing', async function (this: BkpWorld, item: string) {
  await rm(await itemPath(this, item), { force: true, recursive: true });
});

Given('the bot\'s {word} is empty', async function (this: BkpWorld, item: string) {
  await writeFile(await itemPath(this, item), '', { mode: 0o600 });
});

Given('the bot\'s {word} holds {string}', async function (this: BkpWorld, item: string, text: string) {
  await writeFile(await itemPath(this, item), text, { mode: 0o600 });
});

/*
 * An item that exists but cannot be read, even by root: a symbolic link to
 * itself (reading fails with ELOOP, not ENOENT). Replacing it (a write, or
 * a rename over it) still works, so a bot that carries on can store again.
 */
Given('the bot\'s {word} cannot be read', async function (this: BkpWorld, item: string) {
  const file = await itemPath(this, item);
  await rm(file, { force: true, recursive: true });
  await symlink(path.basename(file), file);
});

/* A fresh start on the same host: nothing left of earlier runs (no identity, no state). */
Given('the bot\'s storage directory is removed', async function (this: BkpWorld) {
  await rm((await this.bot.paths()).storage, { recursive: true, force: true });
});

Given('the static key file does not exist', async function (this: BkpWorld) {
  await rm((await this.bot.paths()).staticKeyPath, { force: true });
});

/** Directories made unwritable in this scenario, made writable again after it (before the work directory is removed). */
const locked = scenarioState(() => [] as string[]);

async function writable(dir: string): Promise<boolean> {
  try {
    const probe = await mkdtemp(path.join(dir, 'probe-'));
    await rm(probe, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

/*
 * Mode 0500 stops an ordinary user. Root ignores modes, so for root the
 * directory is also made immutable (chattr +i). Where neither works (no
 * CAP_LINUX_IMMUTABLE, a file system without the attribute) the scenario
 * is not applicable here rather than wrong.
 */
Given('the bot\'s storage directory cannot be written to', async function (this: BkpWorld) {
  const dir = (await this.bot.paths()).storage;
  await chmod(dir, 0o500);
  locked(this).push(dir);
  if (!(await writable(dir))) return undefined;
  await run('chattr', ['+i', dir], { timeout: 10_000 }).catch(() => undefined);
  if (!(await writable(dir))) return undefined;
  this.attach(`Not applicable: the suite runs as root and cannot make ${dir} read-only here (chattr +i failed)`, 'text/plain');
  return 'skipped';
});

After(async function (this: BkpWorld) {
  for (const dir of locked.peek(this) ?? []) {
    await run('chattr', ['-i', dir], { timeout: 10_000 }).catch(() => undefined);
    await chmod(dir, 0o700).catch(() => undefined);
  }
});
