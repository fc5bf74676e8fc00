// Pre-flight: before any scenario, prove that the target can be judged at
// all. For a server: start it once (or reach it), read health, capabilities
// and cluster, check the target file's claims against what the control API
// says, stop it (every worker starts its own). For a bot: every operation
// renders and its program exists, and the reference server it will join
// starts. Whatever fails is a configuration error (exit 2), never a failed
// scenario. A container target without a container engine is not an error
// but SKIPPED, with the reason.
import { launchInProcessServer } from '../launch/in-process.js';
import { engineCheck, launchServerTarget } from '../launch/server-target.js';
import { probeEngine } from '../launch/docker-engine.js';
import type { LaunchedServer } from '../launch/server-target.js';
import { ConfigurationError, configurationError } from '../target/errors.js';
import type { Problem } from '../target/errors.js';
import type { BotRoleTarget, ServerTarget, Target } from '../target/model.js';
import { resolveCommand } from '../target/command-path.js';
import { renderArgv, renderEnv, PLACEHOLDERS } from '../../steps/support/command-template.js';
import type { PlaceholderValues } from '../../steps/support/command-template.js';
import { ControlProbe } from './control-probe.js';
import { MUTANT_ENV } from '../../reference/mutants/switch.js';
import type { ProbeResult } from './control-probe.js';

export type PreflightResult =
  | { kind: 'ready'; implementation: string; features: string[]; controlUrl?: string }
  | { kind: 'skipped'; reason: string };

export type Log = (line: string) => void;

/** What the target's own start failure means to a user: the launch settings are wrong. */
function launchProblem(err: unknown): ConfigurationError {
  if (err instanceof ConfigurationError) return err;
  return configurationError('launch', (err as Error).message);
}

async function probe(server: LaunchedServer): Promise<ProbeResult> {
  return new ControlProbe(server.controlUrl, server.controlCredential).probe();
}

function implementationOf(result: ProbeResult): string {
  const impl = result.capabilities.implementation as { name: string; version: string };
  return `${impl.name} ${impl.version}`.trim();
}

/** A claim of the target file that GET capabilities (or the launcher) does not confirm is a configuration error naming the claim. */
export function unconfirmedClaims(claims: readonly string[], features: ReadonlySet<string>): Problem[] {
  return claims.flatMap((claim, i) =>
    features.has(claim) ? [] : [{ where: `capabilities[${i}]`, what: `the target file claims ${JSON.stringify(claim)}, but GET capabilities does not declare it` }]);
}

export async function preflightServer(target: ServerTarget, log: Log): Promise<PreflightResult> {
  const engine = await engineCheck(target);
  if (!engine.ok) return { kind: 'skipped', reason: engine.reason };
  log(`pre-flight: starting ${target.name} (${target.launch.mode})`);
  let server: LaunchedServer;
  try {
    server = await launchServerTarget(target);
  } catch (err) {
    throw launchProblem(err);
  }
  try {
    log(`pre-flight: control API ${server.controlUrl}`);
    const result = await probe(server);
    // Features of the launcher rather than the control API, as steps/support/target.ts declares them.
    if (server.startSecondServer) result.features.add('second-server');
    if (server.restart) result.features.add('container-restart');
    const problems = unconfirmedClaims(target.claimedCapabilities, result.features);
    if (problems.length > 0) throw new ConfigurationError(problems);
    const implementation = implementationOf(result);
    log(`pre-flight: ${implementation}, ${String(result.capabilities.protocol_version)}, features: ${[...result.features].sort().join(' ')}`);
    return { kind: 'ready', implementation, features: [...result.features].sort(), controlUrl: server.controlUrl };
  } finally {
    await server.close?.();
  }
}

/** A value for every placeholder, so rendering finds templates that cannot be rendered. */
function sampleValues(): PlaceholderValues {
  return Object.fromEntries(PLACEHOLDERS.map((p) => [p, `sample-${p}`])) as PlaceholderValues;
}

export async function preflightBot(target: BotRoleTarget, log: Log): Promise<PreflightResult> {
  const { bot } = target;
  // A bot run in containers needs an engine, as a container server target does: without one, SKIPPED.
  if (bot.capabilities.has('container')) {
    const engine = await probeEngine();
    if (!engine.ok) return { kind: 'skipped', reason: engine.reason };
  }
  const problems: Problem[] = [];
  const operations = Object.entries(bot.operations).map(([name, op]) => ({ where: `bot.operations.${name}`, op }));
  if (bot.reload && 'operation' in bot.reload) operations.push({ where: 'bot.reload', op: bot.reload.operation });
  for (const { where, op } of operations) {
    if (!op) continue;
    // A mutant reaches a bot only through its environment; a target cannot ask for one (docs/mutants.md).
    if (Object.hasOwn(op.env, MUTANT_ENV)) problems.push({ where: `${where}.env.${MUTANT_ENV}`, what: 'selects a mutant, a deliberately broken variant that exists to test this suite; no conformance claim can come from it' });
    try {
      const argv = renderArgv(op.argv, sampleValues(), where);
      renderEnv(op.env, sampleValues(), where);
      const program = argv[0] ?? '';
      if (!resolveCommand(program, bot.workingDirectory)) {
        problems.push({ where: `${where}.argv[0]`, what: `${JSON.stringify(program)} is not an executable in PATH or in ${bot.workingDirectory}` });
      }
    } catch (err) {
      const message = (err as Error).message;
      const colon = message.indexOf(': ');
      problems.push({ where: message.slice(0, colon), what: message.slice(colon + 2) });
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  log(`pre-flight: ${operations.length} operations of ${target.name} render and their programs exist`);
  log('pre-flight: starting the reference auth server the bot will join (in-process, scripted)');
  let server: LaunchedServer;
  try {
    server = await launchInProcessServer();
  } catch (err) {
    throw configurationError('reference auth server', `does not start: ${(err as Error).message}`);
  }
  try {
    const result = await probe(server);
    if (!result.features.has('scripting')) throw configurationError(server.controlUrl, 'the reference auth server is not in scripted mode, which bot scenarios need');
    return { kind: 'ready', implementation: target.name, features: [...bot.capabilities].sort(), controlUrl: server.controlUrl };
  } finally {
    await server.close?.();
  }
}

export function preflight(target: Target, log: Log): Promise<PreflightResult> {
  return target.role === 'server' ? preflightServer(target, log) : preflightBot(target, log);
}
