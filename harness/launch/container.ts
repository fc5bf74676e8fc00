// A server target in a container (launch.mode container), one container per
// Cucumber worker, through testcontainers.
//
// Ports: the launcher picks free host ports on 127.0.0.1 before the start
// and publishes each container port there (loopback only: the control API
// must not be reachable from the network). Fixed host ports are what make a
// restart harmless: Docker keeps the bindings, so the addresses the server
// advertises and the suite holds stay true after container.restart().
//
// Environment templates (launch.env): {credential} a fresh control API
// credential per container; {join_addr} and {web_addr} the host addresses
// of the published join and web ports (127.0.0.1:<port>), which a server
// behind published ports must report as its own (the reference server:
// BKP_ADVERTISE_JOIN_ADDR / BKP_ADVERTISE_WEB_ADDR).
//
// No registry is assumed reachable: an image is never pulled. `image` must
// already be on the engine (docker/build-images.sh); `build` is built once
// per run (pre-flight builds it; workers inherit the tag through the
// environment). Every container carries bkp.conformance=1 and bkp.run=<id>
// labels; .ci/run removes leftovers by label.
import type { ContainerLaunch, ServerTarget } from '../target/model.js';
import { configurationError } from '../target/errors.js';
import { readCredential } from '../target/credential.js';
import { freshCredential } from '../target/env-templates.js';
import type { ServerEndpoints } from './endpoints.js';
import { CONFORMANCE_LABEL, containerLogTail, imageExists, killContainer, probeEngine, removeContainer } from './docker-engine.js';
import { buildTargetImage, freeLoopbackPorts, renderContainerEnv, runLabels } from './container-support.js';
import { loopbackContainer, removeOnExit } from './loopback-container.js';

export type ContainerTarget = ServerTarget & { launch: ContainerLaunch };

export interface ContainerLaunchOptions {
  /** The control API credential when launch.env does not generate one with {credential} (default: control_api's credential source). */
  controlCredential?: string;
  /** Label bkp.run (default BKP_RUN_ID, else one per process). */
  runId?: string;
  /** Progress lines (timings), e.g. for `bkp run -v`. */
  log?: (line: string) => void;
}

export interface ContainerServer extends ServerEndpoints {
  containerId: string;
  containerName: string;
  /** host:port the join service is published on (127.0.0.1). */
  joinAddress: string;
  webAddress: string | undefined;
  /** Milliseconds from create to ready. */
  startMs: number;
  /** Restarts the container keeping its data and its host ports; `kill` sends SIGKILL instead of a graceful stop. Resolves once ready again. */
  restart(options?: { kill?: boolean }): Promise<void>;
  /** The container's latest output (stdout and stderr). */
  logs(lines?: number): Promise<string>;
  /** Stops and removes the container (and its anonymous volumes); harmless twice. */
  close(): Promise<void>;
}

const PORT_CONFLICT = /port is already allocated|address already in use/i;
const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 5_000;

/** Whether a container engine answers here; callers report container targets as SKIPPED with the reason when it does not. */
export async function containerEngineAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const status = await probeEngine();
  return status.ok ? { ok: true } : { ok: false, reason: status.reason };
}

export async function launchContainerServer(target: ContainerTarget, opts: ContainerLaunchOptions = {}): Promise<ContainerServer> {
  const { launch } = target;
  const engine = await probeEngine();
  if (!engine.ok) throw configurationError('launch.mode', `container target ${target.name}: ${engine.reason}`);
  const image = await resolveImage(target, opts.log);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(target, image, opts);
    } catch (err) {
      // Another process took a chosen port between the probe and the start: choose again.
      if (attempt >= START_ATTEMPTS || !PORT_CONFLICT.test(String((err as Error).message))) throw err;
    }
  }

  async function resolveImage(t: ContainerTarget, log?: (line: string) => void): Promise<string> {
    if (launch.build) return buildTargetImage(t.name, launch.build, log);
    const name = launch.image as string;
    if (!(await imageExists(name))) {
      throw configurationError('launch.image', `image ${name} is not on the container engine (${engine.ok ? engine.endpoint : ''}); no registry is used: build it first (docker/build-images.sh builds the reference images)`);
    }
    return name;
  }
}

async function startOnce(target: ContainerTarget, image: string, opts: ContainerLaunchOptions): Promise<ContainerServer> {
  const { launch } = target;
  const [hostJoin, hostControl, hostWeb] = await freeLoopbackPorts(launch.ports.web === undefined ? 2 : 3);
  const joinAddress = `127.0.0.1:${hostJoin}`;
  const webAddress = hostWeb === undefined ? undefined : `127.0.0.1:${hostWeb}`;
  const generated = freshCredential();
  const env = renderContainerEnv(launch.env, { credential: generated, join_addr: joinAddress, web_addr: webAddress });
  const credential = env.usesCredential ? generated : (opts.controlCredential ?? credentialFromTarget(target));
  const labels = runLabels(target.name, opts.runId);
  const containerName = `bkp-${target.name}-${labels['bkp.run']}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`.slice(0, 120);
  const published: Record<'join' | 'control' | 'web', number | undefined> = { join: hostJoin, control: hostControl, web: hostWeb };

  const container = await loopbackContainer({
    image,
    name: containerName,
    env: env.values,
    labels,
    ports: (['join', 'control', 'web'] as const).flatMap((role) => {
      const port = launch.ports[role];
      return port === undefined ? [] : [{ container: port, host: published[role] as number }];
    }),
    wait: launch.wait.http
      ? { http: { port: containerPort(launch, launch.wait.http.port), path: launch.wait.http.path }, timeoutMs: launch.wait.timeoutMs }
      : { log: launch.wait.log ?? '.', timeoutMs: launch.wait.timeoutMs },
  });
  const started = Date.now();
  let running;
  try {
    running = await container.start();
  } catch (err) {
    const logs = await containerLogTail(containerName);
    await removeContainer(containerName).catch(() => {});
    throw new Error(`container target ${target.name}: ${image} did not become ready: ${(err as Error).message}${logs ? `\nits output:\n${logs}` : ''}`, { cause: err });
  }
  const startMs = Date.now() - started;
  opts.log?.(`container ${containerName} (${image}) ready in ${startMs} ms`);
  const forget = removeOnExit(running.getId());
  let closed = false;

  return {
    controlUrl: `http://127.0.0.1:${hostControl}/conformance/v1/`,
    controlCredential: credential,
    containerId: running.getId(),
    containerName,
    joinAddress,
    webAddress,
    startMs,
    restart: async (options = {}) => {
      const t0 = Date.now();
      // SIGKILL first (no chance to flush or close anything), then an ordinary start.
      if (options.kill) await killContainer(running.getId());
      await running.restart({ timeout: options.kill ? 0 : STOP_GRACE_MS });
      opts.log?.(`container ${containerName} restarted${options.kill ? ' (SIGKILL)' : ''} and ready in ${Date.now() - t0} ms`);
    },
    logs: (lines = 200) => containerLogTail(running.getId(), lines),
    close: async () => {
      if (closed) return;
      closed = true;
      const t0 = Date.now();
      await running.stop({ timeout: STOP_GRACE_MS, remove: true, removeVolumes: true }).catch(() => removeContainer(running.getId()));
      forget();
      opts.log?.(`container ${containerName} stopped and removed in ${Date.now() - t0} ms`);
    },
  };
}

function containerPort(launch: ContainerLaunch, role: 'join' | 'control' | 'web'): number {
  const port = launch.ports[role];
  if (port === undefined) throw configurationError('launch.wait.http.port', `names the ${role} port, but launch.ports.${role} is not set`);
  return port;
}

function credentialFromTarget(target: ContainerTarget): string {
  const source = target.controlApi.credential;
  if (!source) {
    throw configurationError('launch.env', 'no value uses {credential} and control_api names no credential_env or credential_file: the suite cannot know the control API credential');
  }
  return readCredential(source);
}

export { CONFORMANCE_LABEL };
