// Which server the suite runs against. `bkp run --target <file>` sets
// BKP_TARGET (an absolute path) and each Cucumber worker starts its own
// instance of what the file describes (harness/launch/server-target.ts):
// in-process, a child process, a container, or the remote server it names.
// A bot target (role: bot) runs against the embedded reference server in
// scripted mode. Without BKP_TARGET: the embedded reference server, or, for
// compatibility, the server BKP_CONTROL_URL (+ BKP_CONTROL_CREDENTIAL) names.
// Either way the server is started once per worker and reset before every
// scenario (hooks.ts).
import { launchInProcessServer } from '../../harness/launch/in-process.js';
import type { ServerEndpoints } from '../../harness/launch/endpoints.js';
import { launchServerTarget } from '../../harness/launch/server-target.js';
import { loadTarget } from '../../harness/target/load-target.js';
import { ControlClient } from './control-client.js';
import type { JoinTarget } from './join-connection.js';

interface Connected {
  endpoints: ServerEndpoints;
  join: JoinTarget;
  clusterName: string;
  userCaPems: string[];
  /** What the target says it can do: capabilities.features, "clock-control", and "role-<Role>" per served role. */
  features: Set<string>;
  close?: () => Promise<void>;
}

let connecting: Promise<Connected> | undefined;

export function connectTarget(): Promise<Connected> {
  connecting ??= connect();
  return connecting;
}

/** The server of this worker: started (or reached) as BKP_TARGET, or the legacy variables, say. */
async function launch(): Promise<ServerEndpoints & { close?: () => Promise<void> }> {
  const file = process.env.BKP_TARGET;
  if (file) {
    const target = loadTarget(file);
    if (target.role === 'server') return launchServerTarget(target);
    // role: bot — the bot is the implementation under test; its server is the scripted reference.
    return launchInProcessServer();
  }
  const url = process.env.BKP_CONTROL_URL;
  if (url) return { controlUrl: url, controlCredential: process.env.BKP_CONTROL_CREDENTIAL ?? '' };
  return launchInProcessServer();
}

async function connect(): Promise<Connected> {
  const { close, ...endpoints } = await launch();
  try {
    return await describeServer(endpoints, close);
  } catch (err) {
    // A server that started but cannot be described is stopped, not leaked.
    await close?.();
    throw err;
  }
}

async function describeServer(endpoints: ServerEndpoints, close: (() => Promise<void>) | undefined): Promise<Connected> {
  const control = new ControlClient(endpoints.controlUrl, endpoints.controlCredential);
  const cluster = await control.cluster();
  const capabilities = await control.capabilities();
  const features = new Set<string>((capabilities.features as string[] | undefined) ?? []);
  if (capabilities.clock_control === true) features.add('clock-control');
  for (const role of (capabilities.roles as string[] | undefined) ?? []) features.add(`role-${role}`);
  // Not a control API capability: the launcher can start a second server process on the same store.
  if (endpoints.startSecondServer) features.add('second-server');
  // Nor is this: the launcher can restart the server's container (harness/launch/container.ts).
  if (endpoints.restart) features.add('container-restart');
  const joinAddress = String(cluster.join_address);
  const connected: Connected = {
    endpoints,
    join: {
      address: joinAddress,
      caPem: (cluster.host_ca_certificates as string[]).join('\n'),
      serverName: String(cluster.cluster_name),
    },
    clusterName: String(cluster.cluster_name),
    userCaPems: cluster.user_ca_certificates as string[],
    features,
  };
  if (close) connected.close = close;
  return connected;
}

export async function disconnectTarget(): Promise<void> {
  if (!connecting) return;
  const connected = await connecting;
  connecting = undefined;
  await connected.close?.();
}
