// Container-only scenarios (features/containers/): the server's container
// restarted or killed in the middle of a scenario, and a bot's container
// killed. The server is restarted through its launcher (the endpoints of a
// container target carry restart(), which makes the target declare the
// feature container-restart); the bot through its target's kill operation
// (capability container). Everything else is read through the control API.
import { AfterAll, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { differences, takeSnapshot } from './support/snapshot.js';
import type { Snapshot } from './support/snapshot.js';
import { connectTarget } from './support/target.js';
import { scenarioState } from './support/world.js';
import { runningDaemon, theDaemon } from './support/daemon-scene.js';
import { describeExit } from './support/bot-daemon.js';
import { tail } from './support/bot-process.js';
import { BOT_CONTAINER_PREFIX } from './support/bot-driver.js';
import { configuredBotTarget } from './support/bot-target.js';
import { containersWithLabels, removeContainer } from '../harness/launch/docker-engine.js';
import type { ContainerSummary } from '../harness/launch/docker-engine.js';

/** A restart waits for the server's health route; under load a container start takes seconds. */
const RESTART_TIMEOUT_MS = 90_000;

interface BeforeRestart {
  snapshot: Snapshot;
  auditEvents: Json[];
  cluster: Json;
}

const restartScene = scenarioState<{ before: BeforeRestart | undefined }>(() => ({ before: undefined }));

/** What a restart must not lose: the resources, the whole audit log and the cluster's trust material. */
async function remember(world: BkpWorld): Promise<BeforeRestart> {
  const [snapshot, auditEvents, cluster] = await Promise.all([takeSnapshot(world.control), world.control.listAuditEvents(), world.control.cluster()]);
  return { snapshot, auditEvents, cluster };
}

/** The parts of GET cluster a restart must keep (join_address too: the published ports are kept). */
function trustMaterial(cluster: Json): Json {
  const { cluster_name, join_address, host_ca_certificates, user_ca_certificates, bound_keypair_ca_keys, signature_algorithm_suite } = cluster;
  return { cluster_name, join_address, host_ca_certificates, user_ca_certificates, bound_keypair_ca_keys, signature_algorithm_suite };
}

async function restartServer(world: BkpWorld, kill: boolean): Promise<void> {
  const target = await connectTarget();
  const restart = target.endpoints.restart;
  assert.ok(restart, 'this target cannot restart its server (only container targets can); tag the scenario @needs-container-restart');
  restartScene(world).before = await remember(world);
  world.before = restartScene(world).before?.snapshot;
  await restart({ kill });
}

When('the server container is restarted', { timeout: RESTART_TIMEOUT_MS }, async function (this: BkpWorld) {
  await restartServer(this, false);
});

When('the server container is killed with SIGKILL and started again', { timeout: RESTART_TIMEOUT_MS }, async function (this: BkpWorld) {
  await restartServer(this, true);
});

Then('the server holds exactly what it held before the restart: tokens, bot instances, locks, audit events and certificate authorities', async function (this: BkpWorld) {
  const before = restartScene(this).before;
  assert.ok(before, 'the server has not been restarted in this scenario; say first "When the server container is restarted"');
  const after = await remember(this);
  const diff = differences(before.snapshot, after.snapshot);
  assert.deepEqual(diff, [], `the restart changed or lost server state:\n${diff.join('\n')}`);
  assert.deepEqual(after.auditEvents, before.auditEvents, 'the audit log after the restart differs from the one before it');
  assert.deepEqual(trustMaterial(after.cluster), trustMaterial(before.cluster), 'the cluster (name, join address, CAs, suite) after the restart differs from the one before it');
});

// ---------------------------------------------------------------- the bot's container

When('the bot\'s container is killed with SIGKILL', { timeout: 60_000 }, async function (this: BkpWorld) {
  this.bot.requireCapability('container', 'killing the bot\'s container');
  const daemon = runningDaemon(this);
  const exit = await daemon.kill('SIGKILL');
  assert.equal(exit.signal, 'SIGKILL', `the bot should have died of SIGKILL, not ${describeExit(exit)}; its output:\n${tail(daemon.output())}`);
});

/* No container of this worker's bots is left running (they are named bkp-bot-<pid>-…, see bot-driver.ts). */
Then('the bot\'s container is gone', async function (this: BkpWorld) {
  const running = (await thisWorkersBotContainers()).filter((c) => c.State === 'running');
  assert.deepEqual(running.map((c) => c.Names?.[0]), [], `the killed daemon (${theDaemon(this).label}) left its container running`);
});

/*
 * A bot container outlives its `docker run` client when that client is
 * killed (a one-shot run past its timeout, a worker interrupted). This
 * worker's are removed at its end; CI also removes every container labelled
 * bkp.conformance=1 after the run.
 */
AfterAll(async function () {
  if (!botRunsInContainers()) return;
  const leftovers = await thisWorkersBotContainers().catch(() => []);
  await Promise.all(leftovers.map((c) => removeContainer(c.Id).catch(() => {})));
});

async function thisWorkersBotContainers(): Promise<ContainerSummary[]> {
  const mine = `/${BOT_CONTAINER_PREFIX}${process.pid}-`;
  return (await containersWithLabels({ 'bkp.conformance': '1', 'bkp.role': 'bot' })).filter((c) => (c.Names ?? []).some((n) => n.startsWith(mine)));
}

function botRunsInContainers(): boolean {
  try {
    return configuredBotTarget().capabilities.has('container');
  } catch {
    return false;
  }
}
