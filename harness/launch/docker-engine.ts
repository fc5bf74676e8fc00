// The container engine, reached through the Docker Engine API (the daemon's
// own HTTP API on its socket): whether one answers, whether an image is
// there, and removal of the containers a run labelled. Plain HTTP calls with
// timeouts, so that probing costs no CLI and no testcontainers start-up, and
// a machine without an engine gets a reason rather than a hang.
//
// Where the engine is: DOCKER_HOST (unix:///path or tcp://host:port without
// TLS), else /var/run/docker.sock. A TLS engine (DOCKER_TLS_VERIFY) is not
// probed: it is reported as unavailable, with that reason.
import http from 'node:http';
import { existsSync } from 'node:fs';

export type EngineStatus = { ok: true; version: string; endpoint: string } | { ok: false; reason: string };

/** The label every container and image of this project carries, so a run can remove what it left behind. */
export const CONFORMANCE_LABEL = 'bkp.conformance';

const DEFAULT_SOCKET = '/var/run/docker.sock';
const PROBE_TIMEOUT_MS = 3_000;
const CALL_TIMEOUT_MS = 15_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Endpoint = { socketPath: string; text: string } | { host: string; port: number; text: string };

/** Where the engine is, or why it cannot be reached from here. */
export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint | { error: string } {
  if (env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0') return { error: 'DOCKER_TLS_VERIFY is set: engines behind TLS are not supported by this harness' };
  const dockerHost = env.DOCKER_HOST?.trim();
  if (!dockerHost) {
    if (!existsSync(DEFAULT_SOCKET)) return { error: `no container engine: ${DEFAULT_SOCKET} does not exist and DOCKER_HOST is not set (start dockerd, or set DOCKER_HOST)` };
    return { socketPath: DEFAULT_SOCKET, text: `unix://${DEFAULT_SOCKET}` };
  }
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length);
    if (!existsSync(socketPath)) return { error: `no container engine: DOCKER_HOST names ${socketPath}, which does not exist` };
    return { socketPath, text: dockerHost };
  }
  const m = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d{1,5})\/?$/.exec(dockerHost);
  if (m) return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]), text: dockerHost };
  return { error: `DOCKER_HOST=${dockerHost} is neither unix:///path nor tcp://host:port` };
}

export class EngineError extends Error {
  override name = 'EngineError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** One Engine API call; rejects with an EngineError naming the endpoint on a timeout or a transport failure. */
export function engineRequest(method: string, path: string, timeoutMs = CALL_TIMEOUT_MS, env: NodeJS.ProcessEnv = process.env): Promise<{ status: number; body: string; raw: Buffer }> {
  const endpoint = engineEndpoint(env);
  if ('error' in endpoint) return Promise.reject(new EngineError(endpoint.error));
  const target = 'socketPath' in endpoint ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method, path, headers: { host: 'docker' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(new EngineError(`${method} ${path}: answer larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body: raw.toString('utf8'), raw });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new EngineError(`the container engine at ${endpoint.text} did not answer ${method} ${path} within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof EngineError ? err : new EngineError(`the container engine at ${endpoint.text}: ${method} ${path} failed: ${err.message}`)));
    req.end();
  });
}

/** Whether a container engine answers here (GET /_ping, then /version); never throws. */
export async function probeEngine(env: NodeJS.ProcessEnv = process.env, timeoutMs = PROBE_TIMEOUT_MS): Promise<EngineStatus> {
  const endpoint = engineEndpoint(env);
  if ('error' in endpoint) return { ok: false, reason: endpoint.error };
  try {
    const ping = await engineRequest('GET', '/_ping', timeoutMs, env);
    if (ping.status !== 200) return { ok: false, reason: `the container engine at ${endpoint.text} answered /_ping with HTTP ${ping.status}` };
    const version = await engineRequest('GET', '/version', timeoutMs, env);
    const parsed = JSON.parse(version.body) as { Version?: unknown };
    return { ok: true, version: typeof parsed.Version === 'string' ? parsed.Version : 'unknown', endpoint: endpoint.text };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Whether the engine has an image by this name (no pull is ever attempted: registries may be unreachable). */
export async function imageExists(image: string): Promise<boolean> {
  const res = await engineRequest('GET', `/images/${encodeURIComponent(image)}/json`);
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw new EngineError(`GET /images/${image}/json answered HTTP ${res.status}: ${res.body.slice(0, 300)}`, res.status);
}

/** One entry of GET /containers/json (the fields this harness reads). */
export interface ContainerSummary {
  Id: string;
  Names?: string[];
  /** created, running, exited, … */
  State?: string;
  Labels?: Record<string, string>;
}

/** Containers (running or not) with every one of these labels. */
export async function containersWithLabels(labels: Record<string, string>): Promise<ContainerSummary[]> {
  const filters = JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
  const res = await engineRequest('GET', `/containers/json?all=1&filters=${encodeURIComponent(filters)}`);
  if (res.status !== 200) throw new EngineError(`listing containers answered HTTP ${res.status}: ${res.body.slice(0, 300)}`, res.status);
  return JSON.parse(res.body) as ContainerSummary[];
}

/** Removes one container (killing it if it runs); one that is already gone is fine. */
export async function removeContainer(idOrName: string): Promise<void> {
  const res = await engineRequest('DELETE', `/containers/${encodeURIComponent(idOrName)}?force=1&v=1`);
  if (res.status !== 204 && res.status !== 404 && res.status !== 409) {
    throw new EngineError(`removing container ${idOrName} answered HTTP ${res.status}: ${res.body.slice(0, 300)}`, res.status);
  }
}

/** Sends SIGKILL to a running container (the engine's `docker kill`). */
export async function killContainer(idOrName: string): Promise<void> {
  const res = await engineRequest('POST', `/containers/${encodeURIComponent(idOrName)}/kill?signal=KILL`);
  if (res.status !== 204) throw new EngineError(`killing container ${idOrName} answered HTTP ${res.status}: ${res.body.slice(0, 300)}`, res.status);
}

/** Removes every container carrying all these labels; returns how many there were. */
export async function removeContainersWithLabels(labels: Record<string, string>): Promise<number> {
  const found = await containersWithLabels(labels);
  await Promise.all(found.map((c) => removeContainer(c.Id)));
  return found.length;
}

/** The last lines a container printed (stdout and stderr), for error messages; '' when they cannot be read. */
export async function containerLogTail(idOrName: string, lines = 60): Promise<string> {
  try {
    const res = await engineRequest('GET', `/containers/${encodeURIComponent(idOrName)}/logs?stdout=1&stderr=1&tail=${lines}`);
    return res.status === 200 ? demultiplex(res.raw) : '';
  } catch {
    return '';
  }
}

/**
 * Logs of a container without a TTY come in frames: an 8-byte header
 * (stream 1 or 2, three zero bytes, big-endian payload length) and the
 * payload. Anything that is not framed like that is returned as it is.
 */
export function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at] as number;
    if (stream > 2 || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0) return raw.toString('utf8');
    const length = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}
