// The suite's driver for one scenario's bot under test (docs/bot-contract.md):
// renders the target's operations with this scenario's values, runs them in a
// private work directory, keeps every run and daemon for evidence, and
// cleans up after the scenario. It knows the server only by the addresses
// and trust material the World hands it.
import { renderArgv, renderEnv } from './command-template.js';
import type { MissingHints, PlaceholderValues } from './command-template.js';
import { formatGoDuration } from './go-duration.js';
import { BotProcessError, runOnce } from './bot-process.js';
import { BotDaemon } from './bot-daemon.js';
import type { ProcessSpec, RunResult } from './bot-process.js';
import { BotStorage } from './bot-storage.js';
import { clockFileText, createBotWorkDir, removeWorkDir, writePrivateFile } from './bot-workdir.js';
import type { BotPaths } from './bot-workdir.js';
import type { BotCapability, BotExitCodes, BotOperation, BotTarget, OneShotOperation, OperationName } from './bot-target.js';

/** What the bot needs to know about the server under test. */
export interface BotServer {
  /** host:port of the join service ({auth_addr}). */
  authAddr: string;
  /** host:port of the web endpoint serving /webapi/find ({web_addr}), if the server reports one. */
  webAddr: string | undefined;
  /** PEM of the cluster's host CA certificates ({ca_path}). */
  caPem: string;
  /** The server's clock, which the clock file follows. */
  now(): Promise<Date>;
}

export interface OperationOptions {
  /** Extra environment from the scenario (e.g. TBOT_REGISTRATION_SECRET); wins over the target's. */
  env?: Record<string, string>;
  /** With `retry-knobs`: appends `--retry-base-delay <d> --retry-max-delay <d>`. */
  retry?: { baseDelayMs: number; maxDelayMs: number };
  /** With `json-output`: appends `--format json` (keypair creation). */
  json?: boolean;
  /** Keypair creation only: appends `--overwrite` (tbot's flag; every bot accepts it, docs/bot-contract.md). */
  overwrite?: boolean;
}

/**
 * Inherited from the suite's environment; everything else a bot sees comes from the target and the scenario.
 * BKP_MUTANT lets `npm run mutants` run the reference bot's mutants (docs/mutants.md); `bkp run` refuses it.
 */
export const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT', 'NODE_V8_COVERAGE', 'BKP_MUTANT'] as const;

export const TBOT_CERTIFICATE_TTL_MS = 60 * 60_000;
export const TBOT_RENEWAL_INTERVAL_MS = 20 * 60_000;

export class BotDriver {
  /** Every one-shot run of this scenario, in order. */
  readonly runs: RunResult[] = [];
  readonly daemons: BotDaemon[] = [];
  token: string | undefined;
  secret: string | undefined;
  /** Replaces {web_addr} (e.g. an address where nothing listens, to test an unreachable proxy). */
  webAddrOverride: string | undefined;
  certificateTtlMs = TBOT_CERTIFICATE_TTL_MS;
  renewalIntervalMs = TBOT_RENEWAL_INTERVAL_MS;
  private preparing: Promise<{ paths: BotPaths; server: BotServer }> | undefined;
  private prepared: { paths: BotPaths; server: BotServer } | undefined;
  /** Aborted by cleanup: kills one-shot runs still in flight (a step that timed out leaves them behind). */
  private readonly ended = new AbortController();

  constructor(
    readonly target: BotTarget,
    private readonly serverInfo: () => Promise<BotServer>,
    private readonly suiteEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  has(capability: BotCapability): boolean {
    return this.target.capabilities.has(capability);
  }

  /** Fails, naming the tag a scenario needs, when the target lacks a capability. */
  requireCapability(capability: BotCapability, forWhat: string): void {
    if (!this.has(capability)) {
      throw new Error(`${forWhat} needs the bot capability ${capability}, which bot target ${this.target.name} does not declare; tag the scenario @needs-bot-${capability}`);
    }
  }

  /** Creates the work directory, writes the CA and the clock file (once per scenario). */
  prepare(): Promise<{ paths: BotPaths; server: BotServer }> {
    this.preparing ??= (async () => {
      const [paths, server] = await Promise.all([createBotWorkDir(), this.serverInfo()]);
      this.prepared = { paths, server };
      await writePrivateFile(paths.caPath, server.caPem.endsWith('\n') ? server.caPem : `${server.caPem}\n`);
      await this.setClock(await server.now());
      return this.prepared;
    })();
    return this.preparing;
  }

  async paths(): Promise<BotPaths> {
    return (await this.prepare()).paths;
  }

  /** Rewrites the clock file atomically (bots with `clock-file` read it on every use). */
  async setClock(time: Date): Promise<void> {
    const { paths } = this.prepared ?? (await this.prepare());
    await writePrivateFile(paths.clockFile, clockFileText(time, this.target.clockFileFormat));
  }

  /** Sets the clock file to the server's clock now. */
  async syncClock(): Promise<void> {
    const { server } = await this.prepare();
    await this.setClock(await server.now());
  }

  /** Writes {secret_path} with exactly these bytes (e.g. with surrounding whitespace, to test trimming). */
  async writeSecretFile(content: string): Promise<string> {
    const { secretPath } = await this.paths();
    await writePrivateFile(secretPath, content);
    return secretPath;
  }

  /** Writes {static_key_path} (a PEM private key) for a static-key join. */
  async writeStaticKey(pem: string): Promise<string> {
    const { staticKeyPath } = await this.paths();
    await writePrivateFile(staticKeyPath, pem);
    return staticKeyPath;
  }

  /** The storage directory as tbot lays it out; needs `tbot-layout`. */
  async storage(): Promise<BotStorage> {
    this.requireCapability('tbot-layout', 'inspecting the storage directory');
    return new BotStorage((await this.paths()).storage);
  }

  /** The exit code the target documents for a kind of failure; needs `exit-codes`. */
  exitCode(kind: keyof BotExitCodes): number {
    this.requireCapability('exit-codes', `expecting the ${kind} exit code`);
    const codes = this.target.exitCodes;
    if (!codes) throw new Error(`bot target ${this.target.name} declares exit-codes but no bot.exit_codes`);
    return codes[kind];
  }

  /** Runs a one-shot operation to its end; never throws on a non-zero exit (that is the result), only on timeout or spawn failure. */
  async run(operation: OneShotOperation, options: OperationOptions = {}): Promise<RunResult> {
    const container = uniqueContainerName();
    const spec = await this.spec(operation, options, container);
    const result = await runOnce(spec);
    this.runs.push(result);
    // The suite killed the run (timeout, cleanup): only its client process, if the bot runs in a container.
    if (result.signal !== null) await this.killContainer(container);
    return result;
  }

  /** Starts `start_daemon`; the daemon is stopped after the scenario if the scenario does not stop it. */
  async startDaemon(options: OperationOptions = {}): Promise<BotDaemon> {
    const container = uniqueContainerName();
    const spec = await this.spec('start_daemon', options, container);
    const daemon = new BotDaemon(spec, (d) => this.reload(d), this.target.operations.kill ? () => this.killContainer(container) : undefined);
    this.daemons.push(daemon);
    return daemon;
  }

  /** Stops every daemon still running and removes the work directory (kept when BKP_BOT_KEEP_WORKDIR=1). */
  async cleanup(): Promise<void> {
    this.ended.abort();
    await Promise.all(this.daemons.map((d) => d.stop()));
    const prepared = this.preparing ? await this.preparing.catch(() => undefined) : undefined;
    if (prepared && this.suiteEnv.BKP_BOT_KEEP_WORKDIR !== '1') await removeWorkDir(prepared.paths);
  }

  private async reload(daemon: BotDaemon): Promise<void> {
    const how = this.target.reload;
    if (!how) throw new Error(`bot target ${this.target.name} declares neither bot.reload nor the reload-signal capability`);
    if ('signal' in how) {
      daemon.signal(how.signal);
      return;
    }
    const result = await runOnce(await this.render('reload', how.operation, {}, uniqueContainerName()));
    this.runs.push(result);
    if (result.exitCode !== 0) throw new BotProcessError(`reload exited with ${String(result.exitCode ?? result.signal)}: ${result.stderr.slice(-2000)}`);
  }

  /** Runs bot.operations.kill for a container (a no-op for targets without one); also after cleanup began. */
  private async killContainer(container: string): Promise<void> {
    const op = this.target.operations.kill;
    if (!op) return;
    const { abort: _abort, ...spec } = await this.render('kill', op, {}, container, { afterCleanup: true });
    this.runs.push(await runOnce(spec));
  }

  private async spec(name: OperationName, options: OperationOptions, container: string): Promise<ProcessSpec> {
    const op = this.target.operations[name];
    if (!op) {
      const cap = name.includes('static') ? ' (it comes with the static-keys capability; tag the scenario @needs-bot-static-keys)' : '';
      throw new Error(`bot target ${this.target.name} has no operation ${name}${cap}`);
    }
    const extra: string[] = [];
    if (options.retry) {
      this.requireCapability('retry-knobs', 'setting retry delays');
      extra.push('--retry-base-delay', formatGoDuration(options.retry.baseDelayMs), '--retry-max-delay', formatGoDuration(options.retry.maxDelayMs));
    }
    if (options.overwrite) {
      if (name !== 'create_keypair' && name !== 'create_static_keypair') throw new Error(`--overwrite goes with keypair creation, not ${name}`);
      extra.push('--overwrite');
    }
    if (options.json) {
      this.requireCapability('json-output', 'asking for JSON output');
      extra.push('--format', 'json');
    }
    const spec = await this.render(name, op, options.env ?? {}, container);
    return { ...spec, argv: [...spec.argv, ...extra], shownArgv: [...(spec.shownArgv ?? spec.argv), ...extra] };
  }

  private async render(label: string, op: BotOperation, scenarioEnv: Record<string, string>, container: string, how: { afterCleanup?: boolean } = {}): Promise<ProcessSpec> {
    const { paths, server } = await this.prepare();
    const values: PlaceholderValues = {
      auth_addr: server.authAddr,
      web_addr: this.webAddrOverride ?? server.webAddr,
      token: this.token,
      storage: paths.storage,
      secret: this.secret,
      secret_path: paths.secretPath,
      static_key_path: paths.staticKeyPath,
      ca_path: paths.caPath,
      certificate_ttl: formatGoDuration(this.certificateTtlMs),
      renewal_interval: formatGoDuration(this.renewalIntervalMs),
      clock_file: paths.clockFile,
      work_dir: paths.root,
      container_name: container,
      host_user: HOST_USER,
    };
    const hints: MissingHints = {
      web_addr: 'the server reported no web_address (GET cluster)',
      token: 'the scenario has not given the bot a token name',
      secret: 'the scenario has not given the bot a registration secret',
      host_user: 'this platform has no uid/gid',
    };
    const where = label === 'reload' ? 'bot.reload' : `bot.operations.${label}`;
    const argv = renderArgv(op.argv, values, where, hints);
    const shownArgv = this.secret === undefined ? argv : renderArgv(op.argv, { ...values, secret: '<secret>' }, where, hints);
    const inherited = Object.fromEntries(INHERITED_ENV.flatMap((k) => (this.suiteEnv[k] === undefined ? [] : [[k, this.suiteEnv[k] as string]])));
    const env = { ...inherited, ...renderEnv(op.env, values, where, hints), ...scenarioEnv };
    if (this.ended.signal.aborted && !how.afterCleanup) throw new Error(`the bot driver of this scenario is cleaned up; ${label} cannot run any more`);
    return { label, argv, shownArgv, env, cwd: this.target.workingDirectory, timeoutMs: op.timeoutMs, abort: this.ended.signal };
  }
}

/** uid:gid of the suite ({host_user}): a bot in a container then writes files the suite owns. */
const HOST_USER = process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : undefined;
let containers = 0;

/** {container_name}: unique per operation run, and prefixed by this process's id so a worker can find what it started. */
export function uniqueContainerName(): string {
  containers += 1;
  return `${BOT_CONTAINER_PREFIX}${process.pid}-${Date.now().toString(36)}-${containers}`;
}

/** Every {container_name} starts with this (and this process's id next). */
export const BOT_CONTAINER_PREFIX = 'bkp-bot-';
