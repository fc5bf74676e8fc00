// `bkp auth serve`: runs the reference auth server until interrupted.
// Every flag has an environment variable, so containers and process targets
// can be configured without a command line.
import { readFileSync } from 'node:fs';
import { Command, Option, InvalidArgumentError } from 'commander';
import { startAuthServer, DEFAULTS } from './auth-server.js';
import { SIGNATURE_ALGORITHM_SUITES } from '../crypto/index.js';
import type { SignatureAlgorithmSuite } from '../crypto/index.js';
import { parseGoDuration } from '../shared/go-duration.js';

export function authCommand(): Command {
  const auth = new Command('auth').description('the reference auth server');
  auth
    .command('serve')
    .description('serve the bound keypair join protocol (gRPC over TLS) and the conformance control API (HTTP/JSON)')
    .addOption(new Option('--join-addr <host:port>', 'listen address of the join service').env('BKP_JOIN_ADDR').default('127.0.0.1:3025').argParser(hostPort))
    .addOption(new Option('--control-addr <host:port>', 'listen address of the control API').env('BKP_CONTROL_ADDR').default('127.0.0.1:3080').argParser(hostPort))
    .addOption(new Option('--web-addr <host:port>', 'listen address of the HTTPS web listener (GET /webapi/find); port 0 picks a free port').env('BKP_WEB_ADDR').default('127.0.0.1:3443').argParser(hostPort))
    // Behind a NAT or a container's published ports the listen address is not what clients dial.
    .addOption(new Option('--advertise-join-addr <host:port>', 'join address reported to clients (GET cluster), e.g. a container\'s published port (default: the listen address)').env('BKP_ADVERTISE_JOIN_ADDR').argParser(hostPortText))
    .addOption(new Option('--advertise-web-addr <host:port>', 'web address reported to clients (GET cluster, /webapi/find) (default: the listen address)').env('BKP_ADVERTISE_WEB_ADDR').argParser(hostPortText))
    .addOption(new Option('--cluster-name <name>', 'cluster name (issuer and audience of challenges and join states)').env('BKP_CLUSTER_NAME').default(DEFAULTS.clusterName))
    .addOption(new Option('--suite <suite>', 'signature algorithm suite').env('BKP_SUITE').choices([...SIGNATURE_ALGORITHM_SUITES]).default(DEFAULTS.suite))
    .addOption(new Option('--control-credential <secret>', 'bearer credential for the control API (generated and printed when absent)').env('BKP_CONTROL_CREDENTIAL'))
    .addOption(new Option('--control-credential-file <path>', 'read the control API credential from a file').env('BKP_CONTROL_CREDENTIAL_FILE'))
    .addOption(new Option('--clock <kind>', 'real time, or a virtual clock moved through the control API').env('BKP_CLOCK').choices(['real', 'virtual']).default('virtual'))
    .addOption(new Option('--clock-start <rfc3339>', 'start time of the virtual clock (default: now)').env('BKP_CLOCK_START').argParser(timestamp))
    .addOption(new Option('--stream-timeout <duration>', 'deadline of one join stream, e.g. 60s or 1m').env('BKP_STREAM_TIMEOUT').default(60_000, '1m').argParser(duration))
    .addOption(new Option('--data-dir <path>', 'keep the cluster (CAs, tokens, locks, bot instances, audit events) in a SQLite database in this directory').env('BKP_DATA_DIR'))
    .addOption(new Option('--postgres-url <url>', 'keep the cluster in PostgreSQL, shared by every server given the same URL and schema').env('BKP_POSTGRES_URL').conflicts('dataDir'))
    .addOption(new Option('--postgres-schema <name>', 'PostgreSQL schema of this cluster').env('BKP_POSTGRES_SCHEMA').default('bkp'))
    .addOption(new Option('--max-message-bytes <n>', 'largest join message accepted').env('BKP_MAX_MESSAGE_BYTES').default(DEFAULTS.maxMessageBytes).argParser(positiveInt))
    .addOption(new Option('--max-streams-per-address <n>', 'join streams one client address may hold open at once; 0: no cap').env('BKP_MAX_STREAMS_PER_ADDRESS').default(DEFAULTS.maxStreamsPerAddress).argParser(nonNegativeInt))
    // Not .env(): commander takes a boolean flag's variable as on whatever it says, so BKP_SCRIPTED=0 would turn it on.
    .addOption(new Option('--scripted', 'scripted mode, for testing bots: faults on join streams and simulated restarts through the control API (never in production; env: BKP_SCRIPTED=1)'))
    .action(async (opts, command: Command) => {
      const scripted = opts.scripted === true || envFlag(process.env.BKP_SCRIPTED, 'BKP_SCRIPTED', command);
      const credential = opts.controlCredentialFile ? readFileSync(opts.controlCredentialFile, 'utf8').trim() : opts.controlCredential;
      const server = await startAuthServer({
        clusterName: opts.clusterName,
        suite: opts.suite as SignatureAlgorithmSuite,
        joinHost: opts.joinAddr.host,
        joinPort: opts.joinAddr.port,
        controlHost: opts.controlAddr.host,
        controlPort: opts.controlAddr.port,
        webHost: opts.webAddr.host,
        webPort: opts.webAddr.port,
        advertiseJoinAddress: opts.advertiseJoinAddr,
        advertiseWebAddress: opts.advertiseWebAddr,
        scripted,
        controlCredential: credential,
        clock: opts.clock,
        virtualClockStart: opts.clockStart,
        streamTimeoutMs: opts.streamTimeout,
        maxMessageBytes: opts.maxMessageBytes,
        maxStreamsPerAddress: opts.maxStreamsPerAddress,
        store: opts.postgresUrl
          ? { kind: 'postgres', url: opts.postgresUrl, schema: opts.postgresSchema }
          : opts.dataDir
            ? { kind: 'sqlite', dataDir: opts.dataDir }
            : { kind: 'memory' },
        log: (line) => process.stderr.write(`${line}\n`),
      });
      // One JSON line on stdout: what a launcher waits for and reads.
      process.stdout.write(`${JSON.stringify({
        event: 'ready',
        cluster_name: server.clusterName,
        join_address: server.joinAddress,
        web_address: server.webAddress,
        control_url: server.controlUrl,
        ...(credential ? {} : { control_credential: server.controlCredential }),
      })}\n`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  return auth;
}

function hostPort(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new InvalidArgumentError('expected host:port, e.g. 127.0.0.1:3025 or [::1]:3025');
  return { host: (m[1] ?? m[2]) as string, port };
}

/** A host:port kept as written (after checking it), for addresses the server only reports. */
function hostPortText(value: string): string {
  hostPort(value);
  return value;
}

function timestamp(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('expected an RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z');
  return d;
}

function duration(value: string): number {
  try {
    // Surrounding blanks (say, from an environment file) are forgiven on the command line.
    return parseGoDuration(value.trim());
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * An on/off environment variable: 1/true or 0/false (unset or empty: off).
 * Anything else is refused, so that a typo can neither leave a test server
 * without its faults nor give a server faults nobody asked for.
 */
function envFlag(value: string | undefined, name: string, command: Command): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false' || v === '') return false;
  return command.error(`error: environment variable ${name} must be 1/true or 0/false`, { exitCode: 2 });
}

function nonNegativeInt(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer (0: no cap)');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
