// testcontainers, set up for this project's machines and its security
// needs: no reaper (its image cannot be pulled: every container is labelled
// and removed by the launcher, by an exit hook, and by label in CI), the
// engine reached at 127.0.0.1 (no gateway probe), and published ports bound
// to the host's loopback only — testcontainers itself binds every interface.
import { spawnSync } from 'node:child_process';
import type { GenericContainer as GenericContainerType, StartedTestContainer } from 'testcontainers';
import type * as Testcontainers from 'testcontainers';

export interface LoopbackContainerSpec {
  image: string;
  name: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  /** Container port → host port on 127.0.0.1. */
  ports: { container: number; host: number }[];
  /** Ready when this container port answers 200 on the path, or when a log line matches. */
  wait: { http?: { port: number; path: string }; log?: string; timeoutMs: number };
}

export interface StartableContainer {
  start(): Promise<StartedTestContainer>;
}

let loaded: Promise<typeof Testcontainers> | undefined;

/** Loads testcontainers once, after settling its environment (it reads it when first used). */
export function testcontainers(): Promise<typeof Testcontainers> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  loaded ??= import('testcontainers');
  return loaded;
}

export async function loopbackContainer(spec: LoopbackContainerSpec): Promise<StartableContainer> {
  const { GenericContainer, Wait } = await testcontainers();

  // hostConfig is testcontainers' own HostConfig, filled by withExposedPorts;
  // only the host IP of each binding changes here.
  class LoopbackContainer extends GenericContainer {
    protected override async beforeContainerCreated(): Promise<void> {
      const bindings = (this as unknown as { hostConfig: { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[]> } }).hostConfig.PortBindings ?? {};
      for (const list of Object.values(bindings)) for (const binding of list) binding.HostIp = '127.0.0.1';
    }
  }

  const waitStrategy = spec.wait.http !== undefined
    ? Wait.forHttp(spec.wait.http.path, spec.wait.http.port).forStatusCode(200).withReadTimeout(1_000)
    : Wait.forLogMessage(new RegExp(spec.wait.log ?? '.'));

  const container: GenericContainerType = new LoopbackContainer(spec.image)
    .withName(spec.name)
    .withEnvironment(spec.env)
    .withLabels(spec.labels)
    .withExposedPorts(...spec.ports)
    .withWaitStrategy(waitStrategy)
    .withStartupTimeout(spec.wait.timeoutMs);
  return container;
}

const running = new Set<string>();
let hookInstalled = false;

/**
 * Removes the container when this process exits without having closed it
 * (a worker that crashed or was interrupted). 'exit' handlers must be
 * synchronous, so this uses the docker CLI if there is one; CI removes
 * whatever is left by label. Returns a function that forgets the container.
 */
export function removeOnExit(id: string): () => void {
  running.add(id);
  if (!hookInstalled) {
    hookInstalled = true;
    process.on('exit', () => {
      if (running.size > 0) spawnSync('docker', ['rm', '-f', '-v', ...running], { stdio: 'ignore', timeout: 10_000 });
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        if (running.size > 0) spawnSync('docker', ['rm', '-f', '-v', ...running], { stdio: 'ignore', timeout: 10_000 });
        running.clear();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    }
  }
  return () => running.delete(id);
}
