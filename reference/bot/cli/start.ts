// `bkp bot start` (tbot start, client notes §4.2): join with a bound keypair
// and keep the bot identity renewed until stopped (or once, --oneshot).
// Reference-bot-only test knobs: --retry-base-delay, --retry-max-delay,
// BKP_BOT_SEED (jitter seed) and BKP_BOT_CLOCK_FILE (clock.ts).
import { Command, Option } from 'commander';
import { clockFromEnvironment } from '../clock.js';
import type { BotLog } from '../log.js';
import { memoryLog, streamLog } from '../log.js';
import { directoryStorage } from '../state/bot-storage.js';
import { readTbotConfig } from '../config/tbot-yaml.js';
import type { TbotFileConfig } from '../config/tbot-yaml.js';
import { ConfigError } from '../config/config-error.js';
import { LifecycleEvents } from '../lifecycle/lifecycle-events.js';
import { installSignalHandlers } from '../lifecycle/signals.js';
import { liveOperations } from '../lifecycle/live-operations.js';
import { runBot } from '../lifecycle/bot-runner.js';
import { jitterSeed, seededRandom } from '../lifecycle/random.js';
import { exitCodeFor, messageOf } from '../lifecycle/exit-codes.js';
import { hostPort, positiveDuration } from './arg-parsers.js';
import { resolveStartSettings } from './start-settings.js';
import type { StartFlags } from './start-settings.js';
import { usageErrorsExit2 } from './usage-errors.js';

interface StartCommandFlags extends StartFlags {
  config?: string;
  debug?: boolean;
}

export function startCommand(): Command {
  return usageErrorsExit2(new Command('start'))
    .description('join with a bound keypair and keep the bot identity renewed (tbot start)')
    .addOption(new Option('-a, --auth-server <host:port>', 'auth server join service address').env('TELEPORT_AUTH_SERVER').argParser(hostPort))
    .addOption(new Option('--token <name>', 'name of the bound_keypair join token').env('TELEPORT_BOT_TOKEN'))
    .option('--join-method <method>', 'join method; only bound_keypair is supported (the default)')
    .option('--storage <path-or-uri>', 'the bot\'s internal storage: a directory path or file:// URI')
    .option('--certificate-ttl <duration>', 'lifetime of the requested certificates (default 1h)', positiveDuration)
    .option('--renewal-interval <duration>', 'time between renewals, shorter than the TTL (default 20m)', positiveDuration)
    .option('--oneshot', 'join once and exit')
    .option('--insecure', 'do not verify the auth server\'s TLS certificate')
    .option('--ca-path <pem>', 'trust the CA certificates in this PEM file for the auth server\'s TLS certificate')
    .option('--registration-secret <secret>', 'registration secret for the first join (also TBOT_REGISTRATION_SECRET)')
    .option('--registration-secret-path <path>', 'file holding the registration secret')
    .option('--static-key-path <path>', 'static private key file (also TBOT_BOUND_KEYPAIR_STATIC_KEY, base64 of the PEM)')
    .addOption(new Option('-c, --config <path>', 'tbot.yaml (the subset in docs/bot.md); flags override it').env('TBOT_CONFIG_PATH'))
    .option('--debug', 'log debug messages (also TBOT_DEBUG=true)')
    .option('--retry-base-delay <duration>', 'reference bot test knob: first retry delay (default 1s)', positiveDuration)
    .option('--retry-max-delay <duration>', 'reference bot test knob: longest retry delay (default 1m)', positiveDuration)
    .action(async (flags: StartCommandFlags) => {
      process.exitCode = await runStart(flags);
    });
}

/** TBOT_DEBUG as kingpin reads a boolean: true/1/yes on, anything else off (commander would take any value as on). */
function debugFromEnvironment(env: NodeJS.ProcessEnv): boolean {
  return ['true', '1', 'yes'].includes((env.TBOT_DEBUG ?? '').toLowerCase());
}

async function runStart(commandFlags: StartCommandFlags): Promise<number> {
  const flags = { ...commandFlags, debug: (commandFlags.debug ?? false) || debugFromEnvironment(process.env) };
  // The config file may turn debug logging on, so its warnings are held until the logger exists.
  const early = memoryLog();
  let file: TbotFileConfig = {};
  let log: BotLog = streamLog(undefined, flags.debug ?? false);
  let replayed = false;
  const replay = (debug: boolean) => {
    for (const line of early.lines) if (debug || !line.startsWith('DEBUG')) process.stderr.write(`${line}\n`);
    replayed = true;
  };
  try {
    if (flags.config) file = readTbotConfig(flags.config, early);
    const debug = (flags.debug ?? false) || (file.debug ?? false);
    log = streamLog(undefined, debug);
    replay(debug);
    const settings = resolveStartSettings(flags, file, process.env, log);
    const seed = jitterSeed(process.env);
    log.debug('Retry jitter seed', { seed });
    let storage;
    try {
      storage = directoryStorage(settings.storage);
    } catch (err) {
      throw new ConfigError(`parsing storage URI: ${messageOf(err)}`);
    }
    const clock = clockFromEnvironment();
    const ops = liveOperations({
      storage, authAddress: settings.authServer, trust: settings.trust, tokenName: settings.tokenName,
      registrationSecret: settings.registrationSecret, staticKey: settings.staticKey, certificateTtlMs: settings.certificateTtlMs, clock, log,
    });
    const events = new LifecycleEvents();
    const uninstall = installSignalHandlers(events, log);
    try {
      return await runBot(ops, log, events, {
        oneshot: settings.oneshot, renewalIntervalMs: settings.renewalIntervalMs, certificateTtlMs: settings.certificateTtlMs,
        retry: settings.retry, random: seededRandom(seed),
      });
    } finally {
      uninstall();
    }
  } catch (err) {
    if (!replayed) replay(flags.debug ?? false);
    log.error(messageOf(err));
    return exitCodeFor(err);
  }
}
