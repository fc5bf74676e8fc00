// What the lifecycle sentences (steps/bot-lifecycle.steps.ts and its
// siblings) remember in one scenario: the bot's daemon, the retry delays
// the scenario gave the bot, and the watch over the joins the daemon made
// since the scenario last asked it to act; and how a sentence waits for a
// daemon's join to have finished, on the server and in the bot's storage.
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BotDaemon } from './bot-daemon.js';
import { describeExit } from './bot-daemon.js';
import { tail } from './bot-process.js';
import { botEnvironment } from './bot-scene.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';
import { takeSnapshot } from './snapshot.js';
import { JoinWatch } from './join-watch.js';
import type { SeenJoin } from './join-watch.js';
import { TBOT_RETRY_DELAYS } from './retry-delays.js';
import type { RetryDelays } from './retry-delays.js';

interface DaemonScene {
  daemon: BotDaemon | undefined;
  retry: RetryDelays | undefined;
  watch: JoinWatch | undefined;
  /** Every watch the scenario started, stopped after it. */
  watches: JoinWatch[];
  /** The joins the last "renewal" sentence waited for. */
  lastRenewal: SeenJoin[] | undefined;
}

export const daemonScene = scenarioState<DaemonScene>(() => ({ daemon: undefined, retry: undefined, watch: undefined, watches: [], lastRenewal: undefined }));

/** The delays the bot retries with in this scenario. */
export function retryDelays(world: BkpWorld): RetryDelays {
  return daemonScene(world).retry ?? TBOT_RETRY_DELAYS;
}

/** Starts watching joins through the token from now on; the server is snapshotted first, for "what changed" sentences. */
export async function watchFromNow(world: BkpWorld, token: string): Promise<JoinWatch> {
  world.before = await takeSnapshot(world.control);
  const scene = daemonScene(world);
  await scene.watch?.stop();
  const watch = await JoinWatch.start(world.control, token);
  scene.watch = watch;
  scene.watches.push(watch);
  scene.lastRenewal = undefined;
  return watch;
}

export function currentWatch(world: BkpWorld): JoinWatch {
  const watch = daemonScene(world).watch;
  assert.ok(watch, 'no daemon has been started or asked to renew in this scenario');
  return watch;
}

/** Starts the target's start_daemon with the scenario's environment and retry delays. */
export async function startDaemon(world: BkpWorld, token: string, env: Record<string, string> = {}): Promise<BotDaemon> {
  const scene = daemonScene(world);
  assert.ok(!scene.daemon?.running, 'the bot already runs as a daemon in this scenario');
  world.bot.token = token;
  await watchFromNow(world, token);
  const retry = scene.retry ? { baseDelayMs: scene.retry.baseMs, maxDelayMs: scene.retry.maxMs } : undefined;
  scene.daemon = await world.bot.startDaemon({ env: { ...Object.fromEntries(botEnvironment(world)), ...env }, ...(retry ? { retry } : {}) });
  return scene.daemon;
}

export function theDaemon(world: BkpWorld): BotDaemon {
  const daemon = daemonScene(world).daemon;
  assert.ok(daemon, 'the bot has not been started as a daemon in this scenario');
  return daemon;
}

/** The daemon, which must still be running. */
export function runningDaemon(world: BkpWorld): BotDaemon {
  const daemon = theDaemon(world);
  assert.ok(daemon.running, `the daemon is no longer running (${daemon.exitStatus ? describeExit(daemon.exitStatus) : '?'}); its output:\n${tail(daemon.output())}`);
  return daemon;
}

/** Stops every watch (after the scenario). */
export async function stopWatches(world: BkpWorld): Promise<void> {
  const scene = daemonScene.peek(world);
  if (scene) await Promise.all(scene.watches.map((w) => w.stop()));
}

/**
 * Waits until the daemon's joins since the watch began include a successful
 * one (failures before it are allowed: retries), failing early when the
 * daemon exits. Returns the joins up to and including the first success.
 */
export async function waitForSuccessfulJoin(world: BkpWorld, timeoutMs: number): Promise<SeenJoin[]> {
  const watch = currentWatch(world);
  const daemon = daemonScene(world).daemon;
  const joins = await watch.until(
    (js) => js.some((j) => j.transcript.end?.code === 'OK') || Boolean(daemon && !daemon.running),
    timeoutMs,
    (js) => `the daemon made no successful join through token "${watch.token}"; joins: ${describeSeen(js)}`,
  );
  const first = joins.findIndex((j) => j.transcript.end?.code === 'OK');
  assert.ok(first >= 0, `the daemon exited (${daemon?.exitStatus ? describeExit(daemon.exitStatus) : '?'}) without a successful join through token "${watch.token}"; joins: ${describeSeen(joins)}\n${tail(daemon?.output() ?? '')}`);
  await waitForStorageToSettle(world);
  return joins.slice(0, first + 1);
}

/** Quiet this long means the bot has finished writing what a join returned. */
const STORAGE_QUIET_MS = 400;
const STORAGE_SETTLE_LIMIT_MS = 10_000;

/** Names, sizes and modification times of the storage directory's entries ("" when it does not exist). */
async function storageSignature(dir: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return '';
  }
  const parts = await Promise.all(names.map(async (n) => {
    const s = await stat(path.join(dir, n)).catch(() => undefined);
    return `${n}:${s?.size ?? '-'}:${s?.mtimeMs ?? '-'}`;
  }));
  return parts.join('|');
}

/**
 * The server records a join as ended when it has sent the result; the bot
 * then still stores what it received. A sentence that reads or changes the
 * bot's storage next waits until the storage directory has been quiet for
 * a moment (any bot has one; no log line or file layout is assumed).
 */
export async function waitForStorageToSettle(world: BkpWorld): Promise<void> {
  const dir = (await world.bot.paths()).storage;
  const deadline = Date.now() + STORAGE_SETTLE_LIMIT_MS;
  let last = await storageSignature(dir);
  let since = Date.now();
  while (Date.now() - since < STORAGE_QUIET_MS) {
    assert.ok(Date.now() < deadline, `the bot's storage ${dir} kept changing for ${STORAGE_SETTLE_LIMIT_MS} ms after its join`);
    await new Promise((r) => setTimeout(r, 50));
    const now = await storageSignature(dir);
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

export function describeSeen(joins: SeenJoin[]): string {
  if (joins.length === 0) return 'none';
  const start = joins[0]?.seenAtMs ?? 0;
  return joins.map((j) => {
    const end = j.transcript.end;
    const how = end ? `${end.code}${end.message ? ` "${end.message.slice(0, 160)}"` : ''}` : 'still open';
    return `#${j.transcript.id} ${how}${j.transcript.authenticated ? ' (authenticated)' : ''} at +${j.seenAtMs - start} ms`;
  }).join('; ');
}
