// How the fault sentences' words map onto a fault in the server's script
// (docs/control-api.md, "Scripted mode"): the scope ("the next join", "the
// next 3 joins", "every join") and the point ("just before it sends the 2nd
// *messages.X", "after it receives *messages.Y"). Pure, so unit-tested.
import assert from 'node:assert/strict';

/** Where a fault acts: after a client message of a type arrives, or before a server message of a type leaves (the n-th of it). */
export type FaultPoint = { after_client: string; occurrence: number } | { before_server: string; occurrence: number };

/** "the next join" → 1, "the next 3 joins" → 3, "every join" → 0. */
export function timesOf(scope: string): number {
  if (scope === 'every join') return 0;
  const m = /^the next (?:(\d+) joins|join)$/.exec(scope);
  assert.ok(m, `unknown scope "${scope}": say "the next join", "the next N joins" or "every join"`);
  const n = m[1] === undefined ? 1 : Number(m[1]);
  assert.ok(n >= 1, `"${scope}": at least one join`);
  return n;
}

/** "just before it sends" / "after it receives", an optional ordinal and a message type → a fault point. */
export function pointOf(where: string, ordinal: string | null | undefined, type: string): FaultPoint {
  // Cucumber passes null for an optional group that did not match.
  const occurrence = ordinal === null || ordinal === undefined ? 1 : Number(ordinal);
  assert.ok(occurrence >= 1, `the ${ordinal} message: count from 1`);
  if (where === 'just before it sends') return { before_server: type, occurrence };
  assert.equal(where, 'after it receives', `unknown point "${where}"`);
  return { after_client: type, occurrence };
}
