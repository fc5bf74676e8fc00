// The bot under test, as its target file describes it (docs/bot-contract.md,
// schema docs/contract/target.schema.json, `role: bot`). Loading validates
// the file against the schema and every template against the placeholder
// list, so a broken target fails once, with the field named, before any
// scenario runs a process.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { targetSchemaErrors } from '../../harness/target/schema.js';
import { checkTemplate } from './command-template.js';
import { parseGoDuration } from './go-duration.js';

export { fieldPath, schemaErrors } from '../../harness/target/schema.js';

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_BOT_TARGET = path.join(projectRoot, 'targets/reference-bot.yaml');
const MAX_TARGET_BYTES = 256 * 1024;

export const BOT_CAPABILITIES = [
  'tbot-layout', 'tbot-messages', 'clock-file', 'reload-signal', 'static-keys',
  'registration-secret-env', 'retry-knobs', 'json-output', 'exit-codes',
  // The bot runs in a container and bot.operations.kill kills it hard (docker kill -s KILL).
  'container',
] as const;
export type BotCapability = (typeof BOT_CAPABILITIES)[number];

const NEEDS_BOT = '@needs-bot-';

/** The capabilities a scenario's tags ask for (`@needs-bot-<capability>`); an unknown one is an error naming the tag. */
export function neededBotCapabilities(tags: readonly string[]): BotCapability[] {
  const known = new Set<string>(BOT_CAPABILITIES);
  return tags.filter((t) => t.startsWith(NEEDS_BOT)).map((t) => {
    const cap = t.slice(NEEDS_BOT.length);
    if (!known.has(cap)) throw new Error(`tag ${t} names no bot capability (known: ${BOT_CAPABILITIES.join(', ')})`);
    return cap as BotCapability;
  });
}

export const ONE_SHOT_OPERATIONS = [
  'create_keypair', 'create_static_keypair', 'join_once', 'join_with_secret', 'join_with_secret_file', 'join_with_static_key',
] as const;
export type OneShotOperation = (typeof ONE_SHOT_OPERATIONS)[number];
/** kill: ends a running daemon as SIGKILL would, for bots whose process is not the suite's child (a container). */
export type OperationName = OneShotOperation | 'start_daemon' | 'kill';

export const DEFAULT_OPERATION_TIMEOUT_MS = 30_000;
/** start_daemon's timeout caps a daemon's life: a forgotten daemon never outlives a run. */
export const DEFAULT_DAEMON_LIFETIME_MS = 10 * 60_000;

export interface BotOperation {
  argv: string[];
  /** Templates; the target-wide env merged under the operation's own. */
  env: Record<string, string>;
  timeoutMs: number;
}

export type BotReload = { signal: 'SIGUSR1' | 'SIGUSR2' | 'SIGHUP' } | { operation: BotOperation };

export interface BotExitCodes {
  join_failed: number;
  usage: number;
  local_state: number;
}

export interface BotTarget {
  file: string;
  name: string;
  workingDirectory: string;
  capabilities: ReadonlySet<BotCapability>;
  operations: Partial<Record<OperationName, BotOperation>>;
  /** Undefined when the target neither declares `reload` nor `reload-signal`. */
  reload: BotReload | undefined;
  clockFileFormat: 'rfc3339' | 'faketime';
  exitCodes: BotExitCodes | undefined;
}

/** The target file is unreadable or does not follow the contract; the message names the file and the field. */
export class BotTargetError extends Error {
  override name = 'BotTargetError';
}

interface RawOperation { argv: string[]; env?: Record<string, string>; timeout?: string }
interface RawTarget {
  name: string;
  bot: {
    working_directory?: string;
    capabilities: BotCapability[];
    env?: Record<string, string>;
    operations: Partial<Record<OperationName, RawOperation>>;
    reload?: { signal: 'SIGUSR1' | 'SIGUSR2' | 'SIGHUP' } | RawOperation;
    clock_file_format?: 'rfc3339' | 'faketime';
    exit_codes?: BotExitCodes;
  };
}

function operationFrom(raw: RawOperation, where: string, sharedEnv: Record<string, string>, defaultTimeoutMs: number): BotOperation {
  raw.argv.forEach((a, i) => checkTemplate(a, `${where}.argv[${i}]`));
  const env = { ...sharedEnv, ...(raw.env ?? {}) };
  for (const [k, v] of Object.entries(raw.env ?? {})) checkTemplate(v, `${where}.env.${k}`);
  const timeoutMs = raw.timeout === undefined ? defaultTimeoutMs : parseGoDuration(raw.timeout, `${where}.timeout`);
  if (timeoutMs <= 0) throw new Error(`${where}.timeout: must be longer than 0`);
  return { argv: [...raw.argv], env, timeoutMs };
}

/** Parses and validates a target file's text. `file` is used for messages and to resolve working_directory. */
export function parseBotTarget(text: string, file: string): BotTarget {
  const fail = (msg: string): never => {
    throw new BotTargetError(`bot target ${file}: ${msg}`);
  };
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (e) {
    fail(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const role = (doc as { role?: unknown } | null)?.role;
  // The one schema describes servers too; a server target here is a mix-up, named as such.
  if (role !== undefined && role !== 'bot') fail(`role: must be "bot" (this is a ${JSON.stringify(role)} target; BKP_BOT_TARGET needs a bot target)`);
  const problems = targetSchemaErrors(doc);
  if (problems.length > 0) fail(`does not follow the bot contract:\n  ${problems.join('\n  ')}`);
  const raw = doc as RawTarget;
  const sharedEnv = raw.bot.env ?? {};
  try {
    for (const [k, t] of Object.entries(sharedEnv)) checkTemplate(t, `bot.env.${k}`);
    const operations: Partial<Record<OperationName, BotOperation>> = {};
    for (const [name, op] of Object.entries(raw.bot.operations) as [OperationName, RawOperation][]) {
      const defaultTimeout = name === 'start_daemon' ? DEFAULT_DAEMON_LIFETIME_MS : DEFAULT_OPERATION_TIMEOUT_MS;
      operations[name] = operationFrom(op, `bot.operations.${name}`, sharedEnv, defaultTimeout);
    }
    const capabilities = new Set(raw.bot.capabilities);
    let reload: BotReload | undefined;
    const r = raw.bot.reload;
    if (r && 'signal' in r) reload = { signal: r.signal };
    else if (r) reload = { operation: operationFrom(r, 'bot.reload', sharedEnv, DEFAULT_OPERATION_TIMEOUT_MS) };
    else if (capabilities.has('reload-signal')) reload = { signal: 'SIGUSR1' };
    return {
      file,
      name: raw.name,
      workingDirectory: path.resolve(path.dirname(path.resolve(file)), raw.bot.working_directory ?? '.'),
      capabilities,
      operations,
      reload,
      clockFileFormat: raw.bot.clock_file_format ?? 'rfc3339',
      exitCodes: raw.bot.exit_codes,
    };
  } catch (e) {
    if (e instanceof BotTargetError) throw e;
    return fail((e as Error).message);
  }
}

/** Reads a target file (bounded size) and validates it. */
export function loadBotTarget(file: string): BotTarget {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_TARGET_BYTES) throw new Error(`${size} bytes, more than the ${MAX_TARGET_BYTES} a target file may have`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BotTargetError(`bot target ${file}: cannot read it: ${(e as Error).message}`);
  }
  const target = parseBotTarget(text, file);
  try {
    if (!statSync(target.workingDirectory).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw new BotTargetError(`bot target ${file}: bot.working_directory ${target.workingDirectory}: ${(e as Error).message}`);
  }
  return target;
}

let cached: { file: string; target: BotTarget } | undefined;

/** The target named by BKP_BOT_TARGET (default targets/reference-bot.yaml), loaded once per process. */
export function configuredBotTarget(env: NodeJS.ProcessEnv = process.env): BotTarget {
  const file = path.resolve(env.BKP_BOT_TARGET || DEFAULT_BOT_TARGET);
  if (cached?.file !== file) cached = { file, target: loadBotTarget(file) };
  return cached.target;
}
