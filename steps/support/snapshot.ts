// The server's state as the control API shows it, taken before a join so a
// scenario can assert what the join changed — and, for a rejected join, that
// it changed nothing.
import type { ControlClient, Json } from './control-client.js';

export interface Snapshot {
  tokens: Map<string, Json>;
  botInstances: Map<string, Json>;
  locks: Map<string, Json>;
  lastAuditIndex: number;
}

export async function takeSnapshot(control: ControlClient): Promise<Snapshot> {
  const [tokens, instances, locks, events] = await Promise.all([
    control.listTokens(),
    control.listBotInstances(),
    control.listLocks(),
    control.listAuditEvents(),
  ]);
  const byName = (items: Json[]) => new Map(items.map((i) => [String((i.metadata as Json).name), i]));
  return {
    tokens: byName(tokens),
    botInstances: byName(instances),
    locks: byName(locks),
    lastAuditIndex: events.reduce((max, e) => Math.max(max, Number(e.index ?? 0)), 0),
  };
}

/** Human-readable differences; empty when the two snapshots hold the same resources. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  compare('token', before.tokens, after.tokens, out);
  compare('bot instance', before.botInstances, after.botInstances, out);
  compare('lock', before.locks, after.locks, out);
  return out;
}

function compare(what: string, a: Map<string, Json>, b: Map<string, Json>, out: string[]): void {
  for (const [name, value] of a) {
    const other = b.get(name);
    if (!other) out.push(`${what} "${name}" was deleted`);
    else if (JSON.stringify(value) !== JSON.stringify(other)) out.push(`${what} "${name}" changed:\n  before: ${JSON.stringify(value)}\n  after:  ${JSON.stringify(other)}`);
  }
  for (const name of b.keys()) if (!a.has(name)) out.push(`${what} "${name}" was created`);
}
