// A `launch.mode: process` server target: the target's command, run in its
// working directory with its environment rendered (a fresh `{credential}`
// per instance), watched until its readiness probe passes. Each Cucumber
// worker starts its own instance; the command should therefore listen on
// port 0 and name its addresses in the ready line (the reference server's
// `{"event":"ready","control_url":…}`), unless control_api.url fixes them.
//
// The control API credential, in order: the one the suite generated (when
// launch.env uses {credential}), the one control_api names (credential_env
// or credential_file), the one the ready line prints (control_credential).
import { readCredential } from '../target/credential.js';
import { renderEnvTemplates, freshCredential, usesGeneratedCredential } from '../target/env-templates.js';
import { configurationError } from '../target/errors.js';
import type { ProcessLaunch, ServerTarget } from '../target/model.js';
import { resolveCommand } from '../target/command-path.js';
import { normaliseControlUrl } from '../target/server-target.js';
import type { ServerEndpoints } from './endpoints.js';
import { spawnServerChild } from './server-child.js';

export interface LaunchedProcessTarget extends ServerEndpoints {
  pid: number;
  stderr(): string;
  close(): Promise<void>;
}

export async function launchProcessTarget(target: ServerTarget, launch: ProcessLaunch): Promise<LaunchedProcessTarget> {
  const [program, ...args] = launch.command;
  const resolved = resolveCommand(program ?? '', launch.workingDirectory);
  if (!resolved) throw configurationError('launch.command[0]', `${JSON.stringify(program)} is not an executable in PATH or in ${launch.workingDirectory}`);
  const generated = freshCredential();
  const child = await spawnServerChild({
    command: [resolved, ...args],
    cwd: launch.workingDirectory,
    env: renderEnvTemplates(launch.env, { credential: generated }),
    ready: launch.ready,
    label: `target ${target.name}`,
  });
  try {
    const line = child.readyLine ?? {};
    const controlUrl = controlUrlOf(target, line);
    const credential = usesGeneratedCredential(launch.env)
      ? generated
      : target.controlApi.credential
        ? readCredential(target.controlApi.credential)
        : typeof line.control_credential === 'string' && line.control_credential
          ? line.control_credential
          : undefined;
    if (credential === undefined) {
      throw configurationError('launch.env', 'the suite cannot learn the control API credential: use {credential} in launch.env, set control_api.credential_env or credential_file, or print control_credential in the ready line');
    }
    return { controlUrl, controlCredential: credential, pid: child.pid, stderr: child.stderr, close: child.close };
  } catch (err) {
    await child.close();
    throw err;
  }
}

function controlUrlOf(target: ServerTarget, line: Record<string, unknown>): string {
  if (target.controlApi.url) return target.controlApi.url;
  if (typeof line.control_url !== 'string') {
    throw configurationError('launch.ready.stdout_json_event', `the ready line has no control_url and control_api.url is not set: ${JSON.stringify(line).slice(0, 300)}`);
  }
  try {
    return normaliseControlUrl(line.control_url);
  } catch {
    throw configurationError('launch.ready.stdout_json_event', `the ready line's control_url ${JSON.stringify(line.control_url)} is not a URL`);
  }
}
