// The scenario's script of faults on the reference server's join streams
// (scripted mode, docs/control-api.md "Scripted mode"). A feature adds faults
// one sentence at a time, but the control API only replaces a whole script
// (PUT script), which restarts every fault's count and lets held streams go.
// So adding a fault re-sends the faults already set, each with only the
// firings it has left ("the next 3 joins" stays three joins in all), and
// refuses to do so while a stream is held, which the PUT would release.
import assert from 'node:assert/strict';
import type { Json, ScriptView, Transcript } from './control-client.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';
import type { FaultPoint } from './fault-words.js';


export interface NewFault {
  token?: string;
  when?: FaultPoint;
  /** Streams it fires on; 0 = every stream. */
  times: number;
  action: Json;
}

/** How long a step waits for a bot to reach a hold, or for a stream to end. */
export const HOLD_WAIT_MS = 20_000;
const POLL_MS = 50;

/** The ids of the hold faults the scenario set, per token. */
const holdsByToken = scenarioState(() => new Map<string, string[]>());
const counter = scenarioState(() => ({ next: 1 }));

/** The fault as PUT takes it: the view without the server's counters. */
function asWritten(view: ScriptView['faults'][number], times: number): Json {
  const { fired: _fired, held: _held, ...fault } = view;
  return { ...fault, times };
}

/** Adds a fault to the server's script; returns its id. */
export async function addFault(world: BkpWorld, label: string, fault: NewFault): Promise<string> {
  const current = await world.control.getScript();
  const held = current.faults.filter((f) => f.held > 0);
  assert.deepEqual(held.map((f) => f.id), [], 'a fault cannot be added while the server holds a join stream (replacing the script would release it); set faults up before the join');
  const kept: Json[] = [];
  for (const f of current.faults) {
    const times = Number(f.times ?? 1);
    if (times === 0) kept.push(asWritten(f, 0));
    else if (times - f.fired > 0) kept.push(asWritten(f, times - f.fired));
  }
  const id = `${label}-${counter(world).next++}`;
  const written = { id, ...(fault.token !== undefined ? { token: fault.token } : {}), ...(fault.when ? { when: fault.when } : {}), times: fault.times, action: fault.action };
  await world.control.putScript({ seed: current.seed, faults: [...kept, written] });
  if (fault.action.kind === 'hold' && fault.token !== undefined) {
    const ids = holdsByToken(world).get(fault.token) ?? [];
    holdsByToken(world).set(fault.token, [...ids, id]);
  }
  return id;
}

/** The hold faults the scenario set on joins through the token. */
export function holdFaultsOf(world: BkpWorld, token: string): string[] {
  const ids = holdsByToken.peek(world)?.get(token) ?? [];
  assert.ok(ids.length > 0, `no hold was set up for joins through token "${token}"; say first e.g. 'Given the server holds the next join through token "${token}" after it receives *messages.BoundKeypairRotationResponse'`);
  return ids;
}

/** Waits until the server holds a stream at one of the token's hold faults; the fault's id. `gone` says why the bot under test can no longer get there, if so. */
export async function waitUntilHeld(world: BkpWorld, token: string, gone?: () => string | undefined, timeoutMs = HOLD_WAIT_MS): Promise<string> {
  const ids = holdFaultsOf(world, token);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await world.control.getScript();
    const holding = view.faults.find((f) => ids.includes(f.id) && f.held > 0);
    if (holding) return holding.id;
    // The bot ended before it reached the hold: say why rather than wait on.
    const why = gone?.();
    if (why !== undefined) assert.fail(`the bot ended before its join through token "${token}" reached the server's hold: ${why}`);
    if (Date.now() >= deadline) {
      const shown = view.faults.filter((f) => ids.includes(f.id)).map((f) => `${f.id} fired ${f.fired}, held ${f.held}`).join('; ');
      assert.fail(`no join through token "${token}" reached the server's hold within ${timeoutMs} ms (${shown})`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Lets every stream held at the token's hold faults carry on; how many there were. */
export async function releaseHolds(world: BkpWorld, token: string): Promise<number> {
  let released = 0;
  for (const id of holdFaultsOf(world, token)) released += (await world.control.releaseHold(id)).released;
  return released;
}

/** Waits until every join stream through the token has ended (the server recorded its end); the newest. */
export async function waitForJoinsToEnd(world: BkpWorld, token: string, timeoutMs = HOLD_WAIT_MS): Promise<Transcript | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await world.control.listTranscripts({ token, limit: 500 });
    const open = all.filter((t) => !t.end);
    if (open.length === 0) return all.at(-1);
    if (Date.now() >= deadline) assert.fail(`join stream(s) ${open.map((t) => t.id).join(', ')} through token "${token}" still open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
