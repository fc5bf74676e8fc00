// `bkp bot start`'s settings from its three sources: flags (with their
// environment variables, which commander folds into the flags, as kingpin
// does for tbot), the tbot.yaml subset, and defaults. Flags win over the
// file field by field; defaults fill what neither sets. Every problem is a
// ConfigError (exit 2) naming the setting.
import type { ServerTrust } from '../join/join-types.js';
import type { BotLog } from '../log.js';
import { ConfigError } from '../config/config-error.js';
import type { TbotFileConfig } from '../config/tbot-yaml.js';
import { resolveRegistrationSecret } from '../config/registration-secret.js';
import { resolveStaticKeySource } from '../config/static-key-source.js';
import type { StaticKeySource } from '../config/static-key-source.js';
import type { RetryPolicy } from '../lifecycle/retry-policy.js';
import { DEFAULT_RETRY_POLICY } from '../lifecycle/retry-policy.js';
import { readCaBundle } from './trust.js';

export const SUPPORTED_JOIN_METHOD = 'bound_keypair';
export const DEFAULT_CERTIFICATE_TTL_MS = 60 * 60_000;
export const DEFAULT_RENEWAL_INTERVAL_MS = 20 * 60_000;

/** The flags as commander parsed them (durations already in milliseconds). */
export interface StartFlags {
  authServer?: string;
  token?: string;
  joinMethod?: string;
  storage?: string;
  certificateTtl?: number;
  renewalInterval?: number;
  oneshot?: boolean;
  insecure?: boolean;
  caPath?: string;
  registrationSecret?: string;
  registrationSecretPath?: string;
  staticKeyPath?: string;
  retryBaseDelay?: number;
  retryMaxDelay?: number;
}

export interface StartSettings {
  authServer: string;
  tokenName: string;
  storage: string;
  certificateTtlMs: number;
  renewalIntervalMs: number;
  oneshot: boolean;
  trust: ServerTrust;
  registrationSecret?: string | undefined;
  staticKey?: StaticKeySource | undefined;
  retry: RetryPolicy;
}

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function resolveStartSettings(flags: StartFlags, file: TbotFileConfig, env: NodeJS.ProcessEnv, log: BotLog): StartSettings {
  const joinMethod = flags.joinMethod ?? file.joinMethod ?? SUPPORTED_JOIN_METHOD;
  if (joinMethod !== SUPPORTED_JOIN_METHOD) {
    throw new ConfigError(`join method "${joinMethod}" is not supported by the reference bot: only "${SUPPORTED_JOIN_METHOD}"`);
  }
  const tokenName = flags.token ?? file.token;
  if (!tokenName) throw new ConfigError('a join token must be provided with --token, TELEPORT_BOT_TOKEN or onboarding.token in the configuration');
  const authServer = flags.authServer ?? file.authServer;
  if (!authServer) throw new ConfigError('an auth server address must be provided with --auth-server, TELEPORT_AUTH_SERVER or auth_server in the configuration');
  const port = Number(HOST_PORT.exec(authServer)?.[1] ?? NaN);
  if (!(port >= 1 && port <= 65535)) throw new ConfigError(`auth server address "${authServer}" must be host:port, e.g. auth.example.com:3025`);
  const storage = flags.storage ?? file.storagePath;
  if (!storage) throw new ConfigError('a storage path must be provided with --storage or storage.path in the configuration');

  const certificateTtlMs = flags.certificateTtl ?? file.certificateTtlMs ?? DEFAULT_CERTIFICATE_TTL_MS;
  const renewalIntervalMs = flags.renewalInterval ?? file.renewalIntervalMs ?? DEFAULT_RENEWAL_INTERVAL_MS;
  if (certificateTtlMs <= 0 || renewalIntervalMs <= 0) throw new ConfigError('the certificate TTL and the renewal interval must be longer than zero');
  const oneshot = flags.oneshot ?? file.oneshot ?? false;
  // A one-shot run never renews, so its interval is unused and not checked (tbot only warns either way).
  if (!oneshot && renewalIntervalMs >= certificateTtlMs) {
    throw new ConfigError(`the renewal interval (${renewalIntervalMs} ms) must be shorter than the certificate TTL (${certificateTtlMs} ms)`);
  }
  const retry = { baseMs: flags.retryBaseDelay ?? DEFAULT_RETRY_POLICY.baseMs, maxMs: flags.retryMaxDelay ?? DEFAULT_RETRY_POLICY.maxMs };
  if (retry.maxMs < retry.baseMs) throw new ConfigError(`--retry-max-delay (${retry.maxMs} ms) must not be shorter than --retry-base-delay (${retry.baseMs} ms)`);

  const registrationSecret = resolveRegistrationSecret({
    secret: flags.registrationSecret ?? file.registrationSecret,
    secretPath: flags.registrationSecretPath ?? file.registrationSecretPath,
    env,
    log,
  });
  const staticKey = resolveStaticKeySource({ path: flags.staticKeyPath ?? file.staticPrivateKeyPath, env, log });
  // The join client has no system trust store to fall back on: the cluster's CA is private.
  if (!flags.insecure && !flags.caPath) throw new ConfigError('the auth server\'s certificate must be verifiable: give --ca-path <pem> (or --insecure)');
  const trust: ServerTrust = flags.insecure ? { insecure: true } : { caPems: readCaBundle(flags.caPath as string) };
  if (flags.insecure && flags.caPath) log.warn('--insecure is set: the auth server\'s certificate is not verified and --ca-path is not used');
  return {
    authServer, tokenName, storage, certificateTtlMs, renewalIntervalMs, oneshot,
    trust, registrationSecret, staticKey, retry,
  };
}
