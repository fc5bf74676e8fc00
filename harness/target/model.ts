// What a target file describes (docs/contract/target.schema.json), after
// loading: paths made absolute, durations in milliseconds, defaults filled
// in. Launchers and pre-flight work on these shapes, never on the raw YAML.
import type { BotTarget } from '../../steps/support/bot-target.js';

export type LaunchMode = 'in-process' | 'process' | 'container' | 'remote';

/** How the control API credential is found when the target does not generate one with {credential}. */
export type CredentialSource = { env: string } | { file: string };

export interface ControlApiConfig {
  /** Normalised: ends with /conformance/v1/. */
  url?: string;
  credential?: CredentialSource;
}

/** Environment templates: `{credential}` is the only placeholder (a fresh random credential per instance). */
export type EnvTemplates = Readonly<Record<string, string>>;

export type ReadyProbe =
  | { kind: 'stdout-json-event'; event: string; timeoutMs: number }
  | { kind: 'http'; url: string; timeoutMs: number };

export interface InProcessLaunch {
  mode: 'in-process';
}

export interface ProcessLaunch {
  mode: 'process';
  /** argv, run without a shell; argv[0] is resolved in PATH or against workingDirectory. */
  command: string[];
  workingDirectory: string;
  env: EnvTemplates;
  ready: ReadyProbe;
}

export interface ContainerLaunch {
  mode: 'container';
  /** Exactly one of image and build is set. */
  image?: string;
  build?: {
    /** Absolute. */
    context: string;
    /** Relative to the context (default Dockerfile). */
    dockerfile: string;
    args: Readonly<Record<string, string>>;
  };
  /** Ports inside the container; the launcher maps them to free host ports. */
  ports: { join: number; control: number; web?: number };
  env: EnvTemplates;
  wait: { http?: { port: 'join' | 'control' | 'web'; path: string }; log?: string; timeoutMs: number };
}

export interface RemoteLaunch {
  mode: 'remote';
}

export type Launch = InProcessLaunch | ProcessLaunch | ContainerLaunch | RemoteLaunch;

interface TargetCommon {
  /** Absolute path of the target file. */
  file: string;
  name: string;
  description?: string;
  /** Absolute path of the expectations file, when the target names one. */
  expectations?: string;
}

export interface ServerTarget extends TargetCommon {
  role: 'server';
  launch: Launch;
  controlApi: ControlApiConfig;
  /** Claims of the file (features, clock-control, role-<Role>); GET capabilities must confirm each. */
  claimedCapabilities: string[];
}

export interface BotRoleTarget extends TargetCommon {
  role: 'bot';
  bot: BotTarget;
}

export type Target = ServerTarget | BotRoleTarget;
