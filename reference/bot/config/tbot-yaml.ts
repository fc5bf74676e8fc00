// The subset of tbot.yaml the reference bot reads (client notes §4.4):
//
//   version: v2                      # accepted, not needed
//   auth_server: auth.example.com:3025
//   certificate_ttl: 1h               # tbot v2 spells it credential_ttl; both are read
//   renewal_interval: 20m
//   oneshot: false
//   debug: false
//   onboarding:
//     join_method: bound_keypair
//     token: my-bot-token
//     bound_keypair:
//       registration_secret: …        # or registration_secret_path: /path
//       static_private_key_path: /path/to/key
//   storage:
//     type: directory
//     path: /var/lib/teleport/bot
//
// Keys of tbot's that this bot does not implement (outputs, services,
// proxy_server, …) are ignored with a warning, so a real tbot.yaml still
// starts the bot; any other key is an error naming it, so a typo is never
// silently ignored. Durations are Go duration strings.
import { parseDocument } from 'yaml';
import { parseGoDuration } from '../../shared/go-duration.js';
import type { BotLog } from '../log.js';
import { ConfigError } from './config-error.js';
import { readBoundedTextFile } from './bounded-file.js';

export interface TbotFileConfig {
  authServer?: string;
  certificateTtlMs?: number;
  renewalIntervalMs?: number;
  oneshot?: boolean;
  debug?: boolean;
  joinMethod?: string;
  token?: string;
  registrationSecret?: string;
  registrationSecretPath?: string;
  staticPrivateKeyPath?: string;
  storagePath?: string;
}

type Mapping = Record<string, unknown>;

const TOP_LEVEL = ['version', 'auth_server', 'certificate_ttl', 'credential_ttl', 'renewal_interval', 'oneshot', 'debug', 'onboarding', 'storage'];
/** tbot keys that are valid in tbot.yaml but mean nothing to the reference bot. */
const IGNORED_TBOT_KEYS = ['proxy_server', 'outputs', 'services', 'diag_addr', 'fips', 'join_uri'];

/** Reads and parses a tbot.yaml file. */
export function readTbotConfig(path: string, log: BotLog): TbotFileConfig {
  return parseTbotYaml(readBoundedTextFile(path, 'configuration'), path, log);
}

/** Parses tbot.yaml text; `source` names it in errors. */
export function parseTbotYaml(text: string, source: string, log: BotLog): TbotFileConfig {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) throw new ConfigError(`${source}: invalid YAML: ${first.message.split('\n')[0]}`);
  let root: unknown;
  try {
    // No aliases: tbot.yaml never needs them, and they are the YAML expansion attack.
    root = doc.toJS({ maxAliasCount: 0 }) ?? {};
  } catch (err) {
    throw new ConfigError(`${source}: invalid YAML: ${(err as Error).message}`);
  }
  const top = mapping(root, '(document)', source);
  checkKeys(top, '', TOP_LEVEL, source, log);
  const config: TbotFileConfig = {};
  const version = optionalString(top, 'version', '', source);
  if (version !== undefined && version !== 'v1' && version !== 'v2') log.warn(`${source}: unexpected config version "${version}"; reading it as v2`);
  config.authServer = optionalString(top, 'auth_server', '', source);
  if (top.certificate_ttl !== undefined && top.credential_ttl !== undefined) {
    throw new ConfigError(`${source}: set only one of "certificate_ttl" and "credential_ttl"`);
  }
  config.certificateTtlMs = optionalDuration(top, top.certificate_ttl !== undefined ? 'certificate_ttl' : 'credential_ttl', source);
  config.renewalIntervalMs = optionalDuration(top, 'renewal_interval', source);
  config.oneshot = optionalBoolean(top, 'oneshot', source);
  config.debug = optionalBoolean(top, 'debug', source);
  if (top.onboarding !== undefined) {
    const onboarding = mapping(top.onboarding, 'onboarding', source);
    checkKeys(onboarding, 'onboarding.', ['join_method', 'token', 'bound_keypair'], source, log);
    config.joinMethod = optionalString(onboarding, 'join_method', 'onboarding.', source);
    config.token = optionalString(onboarding, 'token', 'onboarding.', source);
    if (onboarding.bound_keypair !== undefined) {
      const prefix = 'onboarding.bound_keypair.';
      const bkp = mapping(onboarding.bound_keypair, 'onboarding.bound_keypair', source);
      checkKeys(bkp, prefix, ['registration_secret', 'registration_secret_path', 'static_private_key_path'], source, log);
      config.registrationSecret = optionalString(bkp, 'registration_secret', prefix, source);
      config.registrationSecretPath = optionalString(bkp, 'registration_secret_path', prefix, source);
      config.staticPrivateKeyPath = optionalString(bkp, 'static_private_key_path', prefix, source);
    }
  }
  if (top.storage !== undefined) {
    const storage = mapping(top.storage, 'storage', source);
    checkKeys(storage, 'storage.', ['type', 'path'], source, log);
    const type = optionalString(storage, 'type', 'storage.', source) ?? 'directory';
    if (type !== 'directory') {
      throw new ConfigError(`${source}: storage.type "${type}" is not supported by the reference bot (only "directory")`);
    }
    config.storagePath = optionalString(storage, 'path', 'storage.', source);
  }
  return dropUndefined(config);
}

function checkKeys(map: Mapping, prefix: string, allowed: string[], source: string, log: BotLog): void {
  for (const key of Object.keys(map)) {
    if (allowed.includes(key)) continue;
    if (prefix === '' && IGNORED_TBOT_KEYS.includes(key)) {
      log.warn(`${source}: "${key}" is not supported by the reference bot and is ignored`);
      continue;
    }
    throw new ConfigError(`${source}: unknown key "${prefix}${key}"`);
  }
}

function mapping(value: unknown, name: string, source: string): Mapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map) {
    throw new ConfigError(`${source}: ${name} must be a mapping`);
  }
  return value as Mapping;
}

function optionalString(map: Mapping, key: string, prefix: string, source: string): string | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${source}: ${prefix}${key} must be a string`);
  return value;
}

function optionalBoolean(map: Mapping, key: string, source: string): boolean | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ConfigError(`${source}: ${key} must be true or false`);
  return value;
}

function optionalDuration(map: Mapping, key: string, source: string): number | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${source}: ${key} must be a Go duration string such as "20m"`);
  try {
    return parseGoDuration(value.trim());
  } catch (err) {
    throw new ConfigError(`${source}: ${key}: ${(err as Error).message}`);
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
