// Which server the suite runs against. By default each Cucumber worker
// starts the embedded reference server once and resets it between scenarios;
// BKP_CONTROL_URL (+ BKP_CONTROL_CREDENTIAL) points the suite at a server
// that is already running.
import { launchInProcessServer } from '../../harness/launch/in-process.js';
import type { ServerEndpoints } from '../../harness/launch/endpoints.js';
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

async function connect(): Promise<Connected> {
  const url = process.env.BKP_CONTROL_URL;
  let endpoints: ServerEndpoints;
  let close: (() => Promise<void>) | undefined;
  if (url) {
    endpoints = { controlUrl: url, controlCredential: process.env.BKP_CONTROL_CREDENTIAL ?? '' };
  } else {
    const server = await launchInProcessServer();
    endpoints = server;
    close = server.close;
  }
  const control = new ControlClient(endpoints.controlUrl, endpoints.controlCredential);
  const cluster = await control.cluster();
  const capabilities = await control.capabilities();
  const features = new Set<string>((capabilities.features as string[] | undefined) ?? []);
  if (capabilities.clock_control === true) features.add('clock-control');
  for (const role of (capabilities.roles as string[] | undefined) ?? []) features.add(`role-${role}`);
  // Not a control API capability: the launcher can start a second server process on the same store.
  if (endpoints.startSecondServer) features.add('second-server');
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
