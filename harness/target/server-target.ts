// From a schema-valid `role: server` document to a ServerTarget: the rules a
// schema cannot state (exactly one readiness probe, a control API address
// where nothing else can tell it, one credential source), relative paths
// resolved against the target file's directory and checked to exist, Go
// durations turned into milliseconds. Every problem names its field.
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseGoDuration } from '../../reference/shared/go-duration.js';
import type { Problem } from './errors.js';
import { CONTAINER_PLACEHOLDERS, envTemplateProblems } from './env-templates.js';
import type { ContainerLaunch, ControlApiConfig, Launch, ProcessLaunch, ReadyProbe } from './model.js';

const CONTROL_API_BASE_PATH = '/conformance/v1/';
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

export interface RawLaunch {
  mode: Launch['mode'];
  command?: string[];
  working_directory?: string;
  env?: Record<string, string>;
  ready?: { stdout_json_event?: string; http?: string; timeout?: string };
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  ports?: { join: number; control: number; web?: number };
  wait?: { http?: { port: 'join' | 'control' | 'web'; path: string }; log?: string; timeout?: string };
}

export interface RawControlApi {
  url?: string;
  credential_env?: string;
  credential_file?: string;
}

/** Resolves paths against one directory and records what is missing. */
export class PathChecker {
  constructor(
    readonly baseDir: string,
    private readonly problems: Problem[],
  ) {}

  resolve(relative: string): string {
    return path.resolve(this.baseDir, relative);
  }

  /** The absolute path, after checking it is a file (or a directory); a problem names `where` otherwise. */
  existing(relative: string, where: string, kind: 'file' | 'directory'): string {
    const absolute = this.resolve(relative);
    try {
      const s = statSync(absolute);
      if (kind === 'file' ? !s.isFile() : !s.isDirectory()) this.problems.push({ where, what: `${absolute} is not a ${kind}` });
    } catch {
      this.problems.push({ where, what: `${absolute} does not exist` });
    }
    return absolute;
  }
}

function duration(text: string | undefined, fallbackMs: number, where: string, problems: Problem[]): number {
  if (text === undefined) return fallbackMs;
  try {
    const ms = parseGoDuration(text);
    if (ms > 0) return ms;
    problems.push({ where, what: 'must be longer than 0' });
  } catch (e) {
    problems.push({ where, what: (e as Error).message });
  }
  return fallbackMs;
}

/** `http://h:3080` and `http://h:3080/conformance/v1` both become `http://h:3080/conformance/v1/`. */
export function normaliseControlUrl(url: string): string {
  const u = new URL(url);
  const p = u.pathname.replace(/\/+$/, '');
  u.pathname = p.endsWith(CONTROL_API_BASE_PATH.slice(0, -1)) ? `${p}/` : `${p}${CONTROL_API_BASE_PATH}`;
  return u.toString();
}

export function controlApiFrom(raw: RawControlApi | undefined, paths: PathChecker, problems: Problem[]): ControlApiConfig {
  const config: ControlApiConfig = {};
  if (!raw) return config;
  if (raw.url !== undefined) {
    try {
      config.url = normaliseControlUrl(raw.url);
    } catch {
      problems.push({ where: 'control_api.url', what: `${JSON.stringify(raw.url)} is not a URL` });
    }
  }
  if (raw.credential_env !== undefined && raw.credential_file !== undefined) {
    problems.push({ where: 'control_api', what: 'give credential_env or credential_file, not both' });
  } else if (raw.credential_env !== undefined) {
    config.credential = { env: raw.credential_env };
  } else if (raw.credential_file !== undefined) {
    config.credential = { file: paths.existing(raw.credential_file, 'control_api.credential_file', 'file') };
  }
  return config;
}

function readyFrom(raw: NonNullable<RawLaunch['ready']>, problems: Problem[]): ReadyProbe {
  const timeoutMs = duration(raw.timeout, DEFAULT_READY_TIMEOUT_MS, 'launch.ready.timeout', problems);
  if ((raw.stdout_json_event === undefined) === (raw.http === undefined)) {
    problems.push({ where: 'launch.ready', what: 'give exactly one of stdout_json_event and http' });
  }
  if (raw.http !== undefined) return { kind: 'http', url: raw.http, timeoutMs };
  return { kind: 'stdout-json-event', event: raw.stdout_json_event ?? 'ready', timeoutMs };
}

function processFrom(raw: RawLaunch, control: ControlApiConfig, paths: PathChecker, problems: Problem[]): ProcessLaunch {
  const ready = readyFrom(raw.ready ?? {}, problems);
  if (ready.kind === 'http' && control.url === undefined) {
    problems.push({ where: 'control_api.url', what: 'required with launch.ready.http: nothing else tells the suite where the control API is' });
  }
  return {
    mode: 'process',
    command: [...(raw.command ?? [])],
    workingDirectory: paths.existing(raw.working_directory ?? '.', 'launch.working_directory', 'directory'),
    env: { ...(raw.env ?? {}) },
    ready,
  };
}

function containerFrom(raw: RawLaunch, paths: PathChecker, problems: Problem[]): ContainerLaunch {
  if ((raw.image === undefined) === (raw.build === undefined)) problems.push({ where: 'launch', what: 'give exactly one of image and build' });
  const ports = raw.ports ?? { join: 0, control: 0 };
  const wait = raw.wait ?? {};
  if (wait.http !== undefined && wait.log !== undefined) problems.push({ where: 'launch.wait', what: 'give http or log, not both' });
  if (wait.http?.port === 'web' && ports.web === undefined) problems.push({ where: 'launch.wait.http.port', what: 'names the web port, but launch.ports.web is not set' });
  const webAddr = Object.entries(raw.env ?? {}).find(([, t]) => t.includes('{web_addr}'));
  if (webAddr && ports.web === undefined) problems.push({ where: `launch.env.${webAddr[0]}`, what: 'uses {web_addr}, but launch.ports.web is not set' });
  const launch: ContainerLaunch = {
    mode: 'container',
    ports: { ...ports },
    env: { ...(raw.env ?? {}) },
    wait: {
      // Without a wait strategy: the control API's health route, which answers once the server can serve joins.
      ...(wait.log !== undefined ? { log: wait.log } : { http: wait.http ?? { port: 'control', path: `${CONTROL_API_BASE_PATH}health` } }),
      timeoutMs: duration(wait.timeout, DEFAULT_WAIT_TIMEOUT_MS, 'launch.wait.timeout', problems),
    },
  };
  if (raw.image !== undefined) launch.image = raw.image;
  if (raw.build) {
    const context = paths.existing(raw.build.context, 'launch.build.context', 'directory');
    const dockerfile = raw.build.dockerfile ?? 'Dockerfile';
    new PathChecker(context, problems).existing(dockerfile, 'launch.build.dockerfile', 'file');
    launch.build = { context, dockerfile, args: { ...(raw.build.args ?? {}) } };
  }
  return launch;
}

export function launchFrom(raw: RawLaunch, control: ControlApiConfig, paths: PathChecker, problems: Problem[]): Launch {
  problems.push(...envTemplateProblems(raw.env ?? {}, 'launch.env', raw.mode === 'container' ? CONTAINER_PLACEHOLDERS : []));
  switch (raw.mode) {
    case 'in-process':
      return { mode: 'in-process' };
    case 'remote':
      if (control.url === undefined) problems.push({ where: 'control_api.url', what: 'required with launch.mode remote' });
      if (control.credential === undefined) problems.push({ where: 'control_api', what: 'a remote target needs credential_env or credential_file' });
      return { mode: 'remote' };
    case 'process':
      return processFrom(raw, control, paths, problems);
    case 'container':
      return containerFrom(raw, paths, problems);
  }
}
