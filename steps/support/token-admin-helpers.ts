// Small helpers for the token administration steps: reading a token's
// registration secret, finding a token in a list, removing a field from a
// document, and remembering a secret across steps of one scenario.
import type { Json } from './control-client.js';
import type { BkpWorld } from './world.js';
import { scenarioState } from './world.js';

export function registrationSecretOf(token: unknown): string | undefined {
  const status = (token as Json | undefined)?.status as Json | undefined;
  const secret = (status?.bound_keypair as Json | undefined)?.registration_secret;
  return typeof secret === 'string' && secret !== '' ? secret : undefined;
}

export function tokenNamed(tokens: Json[], name: string): Json | undefined {
  return tokens.find((t) => (t.metadata as Json | undefined)?.name === name);
}

export function removePath(obj: Json, dotted: string): void {
  const parts = dotted.split('.');
  let cur: unknown = obj;
  for (const part of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Json)[part];
  }
  if (cur !== null && typeof cur === 'object') delete (cur as Json)[parts[parts.length - 1] as string];
}

const noted = scenarioState(() => new Map<string, string>());

export function noteSecret(world: BkpWorld, token: string, secret: string): void {
  noted(world).set(token, secret);
}

export function notedSecret(world: BkpWorld, token: string): string {
  const secret = noted(world).get(token);
  if (secret === undefined) throw new Error(`no registration secret of token "${token}" was noted; add 'Given the admin has noted the registration secret of token "${token}"'`);
  return secret;
}
