// What a container launch needs besides the container itself: free host
// ports, the environment templates rendered, the labels of a run, and an
// image built from a target's Dockerfile once per run.
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import type { ContainerLaunch } from '../target/model.js';
import { configurationError } from '../target/errors.js';
import { CONFORMANCE_LABEL, imageExists } from './docker-engine.js';

/** `count` distinct TCP ports free on 127.0.0.1 right now (the kernel picks them; the caller binds them soon after). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  // All held open until every port is known, so the kernel cannot hand out one twice.
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** The placeholders of a container target's environment (harness/target/env-templates.ts checks their names). */
export interface ContainerEnvValues {
  credential: string;
  join_addr: string;
  web_addr: string | undefined;
}

const TOKEN = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Renders launch.env; `{{name}}` is the literal `{name}`. An unknown placeholder or a missing web address is a configuration error naming the variable. */
export function renderContainerEnv(env: Readonly<Record<string, string>>, values: ContainerEnvValues): { values: Record<string, string>; usesCredential: boolean } {
  let usesCredential = false;
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(env)) {
    out[name] = template.replace(TOKEN, (_all, escaped: string | undefined, p: string | undefined) => {
      if (escaped !== undefined) return `{${escaped}}`;
      if (p === 'credential') usesCredential = true;
      const value = p === 'credential' || p === 'join_addr' || p === 'web_addr' ? values[p] : undefined;
      if (value === undefined) {
        throw configurationError(`launch.env.${name}`, p === 'web_addr' ? 'uses {web_addr}, but launch.ports.web is not set' : `unknown placeholder {${String(p)}} (known: {credential} {join_addr} {web_addr})`);
      }
      return value;
    });
  }
  return { values: out, usesCredential };
}

const processRunId = randomBytes(4).toString('hex');

/** Labels of every container a run starts: removal by label finds them all (bkp.conformance=1) or one run's (bkp.run). */
export function runLabels(targetName: string, runId?: string): Record<string, string> {
  const run = (runId ?? process.env.BKP_RUN_ID ?? processRunId).replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40) || processRunId;
  return { [CONFORMANCE_LABEL]: '1', 'bkp.run': run, 'bkp.target': targetName, 'bkp.role': 'server' };
}

/** Environment variable that carries a built image's tag from pre-flight to the workers (they inherit the environment). */
function builtImageVariable(key: string): string {
  return `BKP_CONTAINER_IMAGE_${key.toUpperCase()}`;
}

/**
 * Builds launch.build once per run and returns its tag. The tag is derived
 * from what is built (context, Dockerfile, arguments), so the workers of a
 * run, which inherit the variable pre-flight sets, reuse the image instead
 * of each building it again.
 */
export async function buildTargetImage(targetName: string, build: NonNullable<ContainerLaunch['build']>, log?: (line: string) => void): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify([build.context, build.dockerfile, Object.entries(build.args).sort()])).digest('hex').slice(0, 12);
  const tag = `bkp-target-${targetName}:${key}`;
  const variable = builtImageVariable(key);
  if (process.env[variable] === tag && (await imageExists(tag))) return tag;
  const { GenericContainer } = await (await import('./loopback-container.js')).testcontainers();
  const started = Date.now();
  try {
    await GenericContainer.fromDockerfile(build.context, build.dockerfile)
      .withBuildArgs({ ...build.args })
      .withCache(true)
      .build(tag, { deleteOnExit: false });
  } catch (err) {
    throw configurationError('launch.build', `building ${build.dockerfile} in ${build.context} failed: ${(err as Error).message}`);
  }
  log?.(`built ${tag} from ${build.dockerfile} in ${Date.now() - started} ms`);
  process.env[variable] = tag;
  return tag;
}
