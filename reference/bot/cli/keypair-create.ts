// `bkp bot keypair create` (tbot keypair create, client notes §4.1, W-2):
// create the bound keypair a token pre-registers, in the bot's storage
// (id_bkp, id_bkp.pub, bkp_key_history.json — no bkp_state), or a static
// key (--static). An existing keypair is printed again unless --overwrite.
// The proxy is pinged (GET /webapi/find) only when a key must be generated,
// to learn the cluster's signature algorithm suite; its key type follows
// (legacy, balanced-v1, hsm-v1 → Ed25519; fips-v1 → ECDSA P-256).
// The result goes to stdout; log lines go to stderr.
import { Command, Option } from 'commander';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';
import type { BotClock } from '../clock.js';
import { clockFromEnvironment } from '../clock.js';
import type { BotLog } from '../log.js';
import { streamLog } from '../log.js';
import { directoryStorage } from '../state/bot-storage.js';
import { createKeypair, loadFsClientState } from '../state/fs-state-loader.js';
import { findProxy } from '../proxy/find.js';
import { ConfigError } from '../config/config-error.js';
import { ContextError, LocalStateError, errorFields, exitCodeFor, messageOf } from '../lifecycle/exit-codes.js';
import { hostPort } from './arg-parsers.js';
import { createStaticKeypair } from './keypair-create-static.js';
import { renderKeypair } from './keypair-output.js';
import type { KeypairPrintout, OutputFormat } from './keypair-output.js';
import { readCaBundle } from './trust.js';
import { usageErrorsExit2 } from './usage-errors.js';

export const STORAGE_REQUIRED = 'a storage path must be provided with --storage';
export const EXISTING_STATE_PRINTED = 'Existing client state found, printing existing public key. To generate a new key, pass --overwrite';
export const OVERWRITING_STATE = 'Overwriting existing client state and generating a new keypair.';
export const KEYPAIR_WRITTEN = 'keypair has been written to storage';

export interface KeypairCreateOptions {
  storage?: string | undefined;
  proxyServer: string;
  insecure?: boolean | undefined;
  caPath?: string | undefined;
  overwrite?: boolean | undefined;
  format: OutputFormat;
  static?: boolean | undefined;
  staticKeyPath?: string | undefined;
}

export interface KeypairCreateDeps {
  log: BotLog;
  clock: BotClock;
  stdout: (text: string) => void;
}

/** The whole command; throws an error whose class decides the exit code. */
export async function runKeypairCreate(options: KeypairCreateOptions, deps: KeypairCreateDeps): Promise<void> {
  const suite = suiteLookup(options);
  const printout = options.static
    ? await createStaticKeypair({ staticKeyPath: options.staticKeyPath, overwrite: options.overwrite ?? false }, suite, deps.log)
    : await createInStorage(options, suite, deps);
  deps.stdout(renderKeypair(printout, options.format));
}

async function createInStorage(options: KeypairCreateOptions, suite: () => Promise<SignatureAlgorithmSuite>, deps: KeypairCreateDeps): Promise<KeypairPrintout> {
  const { log, clock } = deps;
  if (!options.storage) throw new ConfigError(STORAGE_REQUIRED);
  let storage;
  try {
    storage = directoryStorage(options.storage);
  } catch (err) {
    throw new ConfigError(`parsing storage URI: ${messageOf(err)}`);
  }
  let existing;
  try {
    existing = await loadFsClientState(storage, log, clock);
  } catch (err) {
    // As tbot: state that cannot be loaded is replaced by a new keypair.
    log.warn('Existing client state could not be loaded and will be replaced', { error: messageOf(err) });
  }
  if (existing?.activePublicKey !== undefined) {
    if (!options.overwrite) {
      log.info(EXISTING_STATE_PRINTED);
      return { publicKey: existing.activePublicKey };
    }
    log.warn(OVERWRITING_STATE);
  }
  const cluster = await suite();
  let created;
  try {
    created = await createKeypair(storage, cluster, log, clock);
  } catch (err) {
    throw new LocalStateError(`writing bound keypair state: ${messageOf(err)}`, { cause: err });
  }
  log.info(KEYPAIR_WRITTEN, { storage: storage.location });
  const publicKey = created.activePublicKey;
  if (publicKey === undefined) throw new LocalStateError('writing bound keypair state: the new keypair has no public key');
  return { publicKey };
}

/** Looks the suite up once, on first use. */
function suiteLookup(options: KeypairCreateOptions): () => Promise<SignatureAlgorithmSuite> {
  let pending: Promise<SignatureAlgorithmSuite> | undefined;
  return () => {
    pending ??= (async () => {
      const caPems = options.caPath ? readCaBundle(options.caPath) : undefined;
      try {
        return (await findProxy(options.proxyServer, { insecure: options.insecure ?? false, ...(caPems ? { caPems } : {}) })).signatureAlgorithmSuite;
      } catch (err) {
        throw new ContextError('pinging proxy to determine signature algorithm suite', err);
      }
    })();
    return pending;
  };
}

export function keypairCommand(): Command {
  const keypair = usageErrorsExit2(new Command('keypair').description('manage the bound keypair'));
  const create = usageErrorsExit2(new Command('create'))
    .description('create a bound keypair to register with a token (tbot keypair create)')
    .option('--storage <path-or-uri>', 'the bot\'s internal storage: a directory path or file:// URI (required unless --static)')
    .requiredOption('--proxy-server <host:port>', 'proxy to ask for the cluster\'s signature algorithm suite (GET /webapi/find)', hostPort)
    .option('--insecure', 'do not verify the proxy\'s TLS certificate')
    .option('--ca-path <pem>', 'trust the CA certificates in this PEM file for the proxy\'s TLS certificate')
    .option('--overwrite', 'replace an existing keypair instead of printing it')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--static', 'create a static key (printed, or written to --static-key-path); no storage is used')
    .option('--static-key-path <path>', 'with --static: write the private key here, or reuse the key already here')
    .option('--debug', 'log debug messages')
    .action(async (opts: KeypairCreateOptions & { debug?: boolean }) => {
      const log = streamLog(undefined, opts.debug ?? false);
      try {
        await runKeypairCreate(opts, { log, clock: clockFromEnvironment(), stdout: (text) => process.stdout.write(text) });
      } catch (err) {
        const { code } = errorFields(err);
        log.error(messageOf(err), code === undefined ? {} : { code });
        process.exitCode = exitCodeFor(err);
      }
    });
  return keypair.addCommand(create);
}
