// `npm run bench:flood`: honest renewals per second while another client
// address floods the join service with streams it never finishes, with the
// per-address stream cap on (the default) and off. Honest bots connect from
// 127.0.0.1 with grpc-js, in this process with the server; the flooder runs
// in a child process (flood-worker.ts) and connects from 127.0.0.2 (Linux
// routes all of 127/8 to loopback), opening streams as fast as the server
// lets it: each sends ClientInit and BoundKeypairInit, gets its challenge,
// and then just stays open until the stream deadline.
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, startAuthServer } from '../../reference/auth/auth-server.js';
import type { RunningAuthServer } from '../../reference/auth/auth-server.js';
import { createBotToken } from '../../reference/auth/testing/control.js';
import { honestJoin } from '../../reference/auth/testing/join-test-client.js';
import { encodeAuthorizedKey, generateKeyPair } from '../../reference/crypto/index.js';
import type { FloodOrder, FloodReport } from './flood-worker.js';

const FLOODER = '127.0.0.2';
const FLOOD_PARALLEL = 64;

interface Options {
  seconds: number;
  honestClients: number;
  floodConnections: number;
}

interface PhaseResult {
  phase: string;
  joinsPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
  floodHeld: number;
  floodRefused: number;
  /** Cores used by this process (server and honest bots) and by the flooder's process. */
  serverCpu: number;
  flooderCpu: number;
}

const program = new Command('flood-bench')
  .description('honest join throughput while one client address floods the join service')
  .addOption(new Option('--seconds <n>', 'length of each phase').default(5).argParser(positiveInt))
  .addOption(new Option('--honest-clients <n>', 'concurrent honest bots renewing in a loop').default(8).argParser(positiveInt))
  .addOption(new Option('--flood-connections <n>', 'connections the flooder opens streams on').default(8).argParser(positiveInt))
  .action(async (opts: Options) => {
    console.log(`flood bench: ${opts.honestClients} honest bots renewing from 127.0.0.1; flooder on ${FLOODER} with ${opts.floodConnections} connections; ${opts.seconds} s per phase`);
    console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})\n`);
    console.log(`${'phase'.padEnd(44)} ${'joins/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(7)} ${'flood peak'.padStart(11)} ${'refused'.padStart(9)} ${'cores: server+bots'.padStart(19)} ${'flooder'.padStart(8)}`);
    const phases: [string, number, boolean][] = [
      ['no flood', DEFAULTS.maxStreamsPerAddress, false],
      [`flood, cap ${DEFAULTS.maxStreamsPerAddress} streams/address (default)`, DEFAULTS.maxStreamsPerAddress, true],
      ['flood, no cap', 0, true],
    ];
    for (const [name, cap, flood] of phases) {
      const r = await phase(name, cap, flood, opts);
      console.log(`${r.phase.padEnd(44)} ${r.joinsPerSecond.toFixed(1).padStart(8)} ${r.p50.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)} ${String(r.failed).padStart(7)} ${String(r.floodHeld).padStart(11)} ${String(r.floodRefused).padStart(9)} ${r.serverCpu.toFixed(2).padStart(19)} ${r.flooderCpu.toFixed(2).padStart(8)}`);
    }
  });

async function phase(name: string, cap: number, flood: boolean, opts: Options): Promise<PhaseResult> {
  const server = await startAuthServer({ maxStreamsPerAddress: cap });
  try {
    const bots = await Promise.all(Array.from({ length: opts.honestClients }, (_, i) => onboard(server, `honest-${i}`)));
    const floodKey = generateKeyPair('ed25519').publicKey;
    await createBotToken(server, 'flood', { initial_public_key: encodeAuthorizedKey(floodKey) });
    const flooder = flood ? await startFlood(server, opts.floodConnections) : undefined;
    // Let the flood build up before measuring.
    if (flooder) await new Promise((r) => setTimeout(r, 1_000));
    const latencies: number[] = [];
    let failed = 0;
    const cpuBefore = process.cpuUsage();
    const until = Date.now() + opts.seconds * 1_000;
    await Promise.all(bots.map(async (bot) => {
      while (Date.now() < until) {
        const started = performance.now();
        const ok = await renew(server, bot);
        if (ok) latencies.push(performance.now() - started);
        else failed++;
      }
    }));
    const cpu = process.cpuUsage(cpuBefore);
    const held = flooder?.peak() ?? 0;
    const floodReport = await flooder?.stop();
    const refused = floodReport?.refused ?? 0;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return {
      phase: name, joinsPerSecond: latencies.length / opts.seconds, p50: at(0.5), p99: at(0.99), failed, floodHeld: held, floodRefused: refused,
      serverCpu: (cpu.user + cpu.system) / 1e6 / opts.seconds, flooderCpu: (floodReport?.cpuMs ?? 0) / 1e3 / (opts.seconds + 1),
    };
  } finally {
    await server.close();
  }
}

interface Bot {
  token: string;
  keys: KeyObject[];
  joinState: Buffer;
  identity: { keyPem: string; certPem: string };
}

async function onboard(server: RunningAuthServer, token: string): Promise<Bot> {
  const key = generateKeyPair('ed25519');
  await createBotToken(server, token, { initial_public_key: encodeAuthorizedKey(key.publicKey) });
  const bot = { token, keys: [key.privateKey], joinState: Buffer.alloc(0), identity: { keyPem: '', certPem: '' } };
  if (!(await renew(server, bot))) throw new Error(`onboarding ${token} failed`);
  return bot;
}

/** One join (onboarding the first time, a renewal with the bot's certificate after); false when it failed. */
async function renew(server: RunningAuthServer, bot: Bot): Promise<boolean> {
  // A join that times out (the test client waits 10 s per message) counts as failed.
  const out = await honestJoin(server, { token: bot.token, keys: bot.keys, joinState: bot.joinState, ...(bot.identity.certPem ? { identity: bot.identity } : {}) }).catch(() => undefined);
  const result = out?.result?.bot_result;
  if (!out || out.code !== 'OK' || !result?.certificates?.tls_cert || !result.bound_keypair_result?.join_state) return false;
  bot.joinState = result.bound_keypair_result.join_state;
  bot.identity = { keyPem: out.subjectKeyPem, certPem: new X509Certificate(result.certificates.tls_cert).toString() };
  return true;
}

/** The flooder, in a child process (flood-worker.ts); the server's count of its open streams is sampled here. */
async function startFlood(server: RunningAuthServer, connections: number) {
  const worker = fork(fileURLToPath(new URL('./flood-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const order: FloodOrder = {
    joinAddress: server.joinAddress, caPem: server.authorities.hostCa.certificatePem, localAddress: FLOODER,
    token: 'flood', connections, parallel: FLOOD_PARALLEL,
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { ready?: boolean }) => m.ready && resolve());
    worker.send({ start: order });
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, server.openStreamsFrom(FLOODER))), 50);
  return {
    peak: () => peak,
    stop: async (): Promise<FloodReport> => {
      clearInterval(sampler);
      const report = new Promise<FloodReport>((resolve) => worker.once('message', (m: FloodReport) => resolve(m)));
      worker.send({ stop: true });
      const done = await report;
      await new Promise((r) => (worker.exitCode === null ? worker.once('exit', r) : r(undefined)));
      return done;
    },
  };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

await program.parseAsync();
