// Starts (or reaches) the server a `role: server` target describes, the one
// way every caller does it: pre-flight once per run, then each Cucumber
// worker for its own instance (steps/support/target.ts).
//   in-process → the embedded reference server (in-process.ts)
//   process    → the target's command as a child process (process-target.ts)
//   container  → a container via testcontainers (container.ts)
//   remote     → nothing to start: the control API the target names
import { readCredential } from '../target/credential.js';
import { configurationError } from '../target/errors.js';
import type { ServerTarget } from '../target/model.js';
import type { ServerEndpoints } from './endpoints.js';
import { launchInProcessServer } from './in-process.js';
import { launchProcessTarget } from './process-target.js';

export interface LaunchedServer extends ServerEndpoints {
  /** Stops what the launcher started; absent for remote targets. */
  close?: () => Promise<void>;
  /** Containers: restart the server keeping its data (container-only scenarios); `kill` instead of a graceful stop. */
  restart?: (options?: { kill?: boolean }) => Promise<void>;
}

export type EngineCheck = { ok: true } | { ok: false; reason: string };

// Imported when needed only: the container launcher brings testcontainers,
// which no other run should pay for.
const containerLauncher = () => import('./container.js');

/** For container targets: whether a container engine answers; other targets need none. */
export async function engineCheck(target: ServerTarget): Promise<EngineCheck> {
  if (target.launch.mode !== 'container') return { ok: true };
  return (await containerLauncher()).containerEngineAvailable();
}

export async function launchServerTarget(target: ServerTarget): Promise<LaunchedServer> {
  const launch = target.launch;
  switch (launch.mode) {
    case 'in-process':
      return launchInProcessServer();
    case 'process':
      return launchProcessTarget(target, launch);
    case 'container':
      return (await containerLauncher()).launchContainerServer({ ...target, launch }, {});
    case 'remote': {
      const { url, credential } = target.controlApi;
      if (!url || !credential) throw configurationError('control_api', 'a remote target needs url and credential_env or credential_file');
      return { controlUrl: url, controlCredential: readCredential(credential) };
    }
  }
}
