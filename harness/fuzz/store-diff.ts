// What a case changed in the store (tokens, locks, bot instances; audit
// events are left out: every failed join records one), and the one change a
// failed join is specified to make: a join state that fails verification
// locks its token (the stolen-keypair story, features/join-state).
import type { ProvisionToken } from '../../reference/auth/tokens/token.js';
import type { Lock } from '../../reference/auth/locks/lock.js';
import type { BotInstance } from '../../reference/auth/bot-instances/bot-instance.js';

export interface StoreSnapshot {
  tokens: ProvisionToken[];
  locks: Lock[];
  botInstances: BotInstance[];
}

export interface StoreChange {
  collection: keyof StoreSnapshot;
  name: string;
  before?: unknown;
  after?: unknown;
}

export function storeChanges(before: StoreSnapshot, after: StoreSnapshot): StoreChange[] {
  const changes: StoreChange[] = [];
  for (const collection of ['tokens', 'locks', 'botInstances'] as const) {
    const was = byName(before[collection]);
    const now = byName(after[collection]);
    for (const name of new Set([...was.keys(), ...now.keys()])) {
      const b = was.get(name);
      const a = now.get(name);
      if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ collection, name, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) });
    }
  }
  return changes;
}

/** The lock join-state-check.ts creates for `token` when a join state fails verification. */
export function isStolenKeypairLock(change: StoreChange, token: string): boolean {
  const lock = change.after as Lock | undefined;
  return change.collection === 'locks' && change.before === undefined && lock?.spec.created_by === 'bound-keypair-join' && lock.spec.target.join_token === token && Object.keys(lock.spec.target).length === 1;
}

export function describeChanges(changes: StoreChange[]): string {
  return changes.map((c) => `${c.collection} ${c.name}:\n  before ${JSON.stringify(c.before ?? null)}\n  after  ${JSON.stringify(c.after ?? null)}`).join('\n');
}

function byName(items: { metadata: { name: string } }[]): Map<string, unknown> {
  return new Map(items.map((i) => [i.metadata.name, i]));
}
