// A second auth server sharing the first one's store (RACE-011): Teleport's
// highly available auth servers share one backend the same way. The target
// offers it only when its endpoints can start one (the embedded reference
// server on PostgreSQL: harness/launch/in-process.ts); scenarios that need it
// carry @needs-second-server.
//
// Starting a server process takes seconds, so each Cucumber worker starts
// one when a scenario first asks for it and keeps it until the end of the
// run. Before every scenario that uses it, the suite checks that it is still
// running and trusts the same bound_keypair CA keys as the first server (a
// CA rotation in an earlier scenario went through the first server, and the
// second only loads the authorities when it starts; otherwise it is
// restarted), and sets its virtual clock to the first server's time. The two
// clocks are independent after that; scenarios with two servers never move
// a clock.
import { AfterAll } from '@cucumber/cucumber';
import type { BkpWorld } from './world.js';
import { ControlClient } from './control-client.js';
import type { JoinTarget } from './join-connection.js';
import { connectTarget } from './target.js';

export interface SecondServer {
  control: ControlClient;
  join: JoinTarget;
}

interface Running extends SecondServer {
  close(): Promise<void>;
  exited(): boolean;
}

let running: Running | undefined;
const inScenario = new WeakMap<BkpWorld, SecondServer>();

async function launch(world: BkpWorld): Promise<Running> {
  const target = await connectTarget();
  const start = target.endpoints.startSecondServer;
  if (!start) {
    throw new Error('this target cannot start a second server sharing its store; tag the scenario @needs-second-server (run with BKP_STORE=postgres and BKP_POSTGRES_URL)');
  }
  const server = await start();
  let exited = false;
  try {
    const control = new ControlClient(server.controlUrl, server.controlCredential);
    const cluster = await control.cluster();
    if (cluster.cluster_name !== world.clusterName) {
      throw new Error(`the second server serves cluster "${String(cluster.cluster_name)}", not "${world.clusterName}"`);
    }
    return {
      control,
      join: { address: String(cluster.join_address), caPem: (cluster.host_ca_certificates as string[]).join('\n'), serverName: String(cluster.cluster_name) },
      close: async () => {
        exited = true;
        await server.close();
      },
      exited: () => exited,
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

async function healthy(server: Running, world: BkpWorld): Promise<boolean> {
  if (server.exited()) return false;
  try {
    const cluster = await server.control.cluster();
    return JSON.stringify(cluster.bound_keypair_ca_keys) === JSON.stringify(world.boundKeypairKeys);
  } catch {
    return false;
  }
}

/** The second server for this scenario: running, on the first server's CA keys, its clock at the first server's time. */
export async function startSecondServer(world: BkpWorld): Promise<SecondServer> {
  const existing = inScenario.get(world);
  if (existing) return existing;
  if (running && !(await healthy(running, world))) {
    await running.close();
    running = undefined;
  }
  running ??= await launch(world);
  if (!(await healthy(running, world))) {
    throw new Error('the second server does not trust the same bound_keypair CA keys as the first, although it shares its store');
  }
  await running.control.setClock((await world.control.clock()).now);
  inScenario.set(world, running);
  return running;
}

export function secondServer(world: BkpWorld): SecondServer {
  const server = inScenario.get(world);
  if (!server) throw new Error('no second server in this scenario; start it first (\'Given a second auth server sharing the store of the first\')');
  return server;
}

AfterAll(async function () {
  const server = running;
  running = undefined;
  await server?.close();
});
