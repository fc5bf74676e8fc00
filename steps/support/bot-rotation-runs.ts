// Bot runs the rotation scenarios steer beyond one plain join: a string of
// operator-requested rotations, and a daemon killed with SIGKILL where the
// scripted server holds its join (crash safety, BKP-CRT-013/014/015).
import assert from 'node:assert/strict';
import type { BkpWorld } from './world.js';
import { takeSnapshot } from './snapshot.js';
import { advanceServerClock } from './clock.js';
import { REGISTRATION_SECRET_ENV, botEnvironment, describeRun, runBot, tokenSecret } from './bot-scene.js';
import { waitForJoinsToEnd, waitUntilHeld } from './fault-script.js';
import { ROTATION_REQUEST, lastJoinThrough, messagesOf, sequence, succeeded } from './transcripts.js';
import { boundKeyOf, nameBotKey } from './bot-rotation-scene.js';

/**
 * W-5 `times` times over: the admin requests a rotation a minute after the
 * last one (rotate_after must be later than last_rotated_at; the virtual
 * clock only moves when told), and the bot's next one-shot join rotates.
 * The keys the token is bound to on the way are called K1 (before the
 * first rotation) to K<times+1>.
 */
export async function rotateRepeatedly(world: BkpWorld, token: string, times: number): Promise<void> {
  nameBotKey(world, 'K1', await boundKeyOf(world, token));
  world.bot.token = token;
  for (let i = 1; i <= times; i++) {
    await advanceServerClock(world, 60_000);
    await world.bot.syncClock();
    await world.control.requestRotation(token);
    const run = await runBot(world, 'join_once');
    assert.equal(run.exitCode, 0, `setting the scene: rotation ${i} of ${times} failed\n${describeRun(run)}`);
    const t = await lastJoinThrough(world, token);
    assert.equal(messagesOf(t, 'server', ROTATION_REQUEST).length, 1, `setting the scene: join ${i} did not rotate: ${sequence(t)}`);
    nameBotKey(world, `K${i + 1}`, await boundKeyOf(world, token));
  }
}

/**
 * Starts the bot as a daemon (its first join starts at once), waits until
 * the server holds that join where the scenario's hold fault says, and
 * kills the bot there with SIGKILL. The held stream ends when the bot's
 * connection goes (the server carries no dead stream on); waiting for that
 * means the restart that follows meets no half-open join.
 */
export async function killDaemonWhileHeld(world: BkpWorld, token: string, withSecret: boolean): Promise<void> {
  const env: Record<string, string> = Object.fromEntries(botEnvironment(world));
  if (withSecret) {
    world.bot.requireCapability('registration-secret-env', `giving a daemon the registration secret in ${REGISTRATION_SECRET_ENV}`);
    env[REGISTRATION_SECRET_ENV] = await tokenSecret(world, token);
  }
  world.bot.token = token;
  world.before = await takeSnapshot(world.control);
  const daemon = await world.bot.startDaemon({ env });
  await waitUntilHeld(world, token, () => (daemon.running ? undefined : `${daemon.label} exited (${String(daemon.exitStatus?.exitCode ?? daemon.exitStatus?.signal)}):\n${daemon.output().slice(-2000)}`));
  const exit = await daemon.kill('SIGKILL');
  assert.equal(exit.signal, 'SIGKILL', `the daemon ended on its own before it was killed (exit code ${String(exit.exitCode)}):\n${daemon.output().slice(-2000)}`);
  const t = await waitForJoinsToEnd(world, token);
  assert.ok(t && !succeeded(t), `the killed bot's join should have ended without a Result: ${t ? sequence(t) : '(none)'}`);
}
