// The routes of scripted mode (docs/control-api.md, "Scripted mode") and the
// transcripts. Without scripted mode the scripted routes exist only to say
// so: every method answers 404 with a message naming the flag, so nobody
// mistakes a server started without it for a broken one.
import { badField, notFound } from '../../protocol/errors.js';
import { parseScript } from '../scripting/script-validation.js';
import { randomSeed } from '../scripting/scripted-faults.js';
import { integerField, nonEmptyQuery } from './request-fields.js';
import { jsonBody } from './request-parsing.js';
import { noContent, ok, route } from './router.js';
import type { ControlPlane, ScriptingControl } from './control-plane.js';
import type { Handler, Request, Route } from './router.js';
import type { TranscriptFilter } from '../join/join-attempts.js';

export const NOT_SCRIPTED = 'scripted mode is not enabled on this server (start it with --scripted)';
export const MAX_TRANSCRIPTS = 500;
export const DEFAULT_TRANSCRIPTS = 100;
/** Longest simulated outage of POST restart. */
export const MAX_DOWN_MS = 300_000;

export function transcriptRoute(plane: ControlPlane): Route {
  return route('transcripts', { GET: async (r) => ok({ transcripts: await plane.transcripts.list(transcriptFilter(r)) }) }, ['token', 'after', 'limit']);
}

export function scriptingRoutes(plane: ControlPlane): Route[] {
  const s = plane.scripting;
  if (!s) {
    const refuse: Handler = async () => {
      throw notFound(NOT_SCRIPTED);
    };
    const every = { GET: refuse, PUT: refuse, POST: refuse, DELETE: refuse, PATCH: refuse };
    return ['script', 'script/release', 'restart'].map((path) => route(path, every));
  }
  return [
    route('script', {
      GET: async () => ok(s.get()),
      PUT: async (r) => ok(s.set(parseScript(await jsonBody(r, ['seed', 'faults']), randomSeed))),
      DELETE: async () => {
        s.clear();
        return noContent;
      },
    }),
    route('script/release', { POST: async (r) => ok(release(s, await jsonBody(r, ['fault_id']))) }),
    route('restart', { POST: async (r) => ok(await s.restart(downMs(await optionalJsonBody(r, ['down_ms'])))) }),
  ];
}

function release(s: ScriptingControl, body: Record<string, unknown>) {
  const id = body.fault_id;
  if (typeof id !== 'string' || id === '') throw badField('fault_id', 'required: the id of a hold fault in the script');
  return s.release(id);
}

function downMs(body: Record<string, unknown>): number {
  return body.down_ms === undefined ? 0 : integerField(body.down_ms, 'down_ms', 0, MAX_DOWN_MS, 'milliseconds');
}

/** No body, or a JSON object with only the given fields. */
async function optionalJsonBody(r: Request, allowed: readonly string[]): Promise<Record<string, unknown>> {
  if ((await r.body()).trim() === '') return {};
  return jsonBody(r, allowed);
}

function transcriptFilter(r: Request): TranscriptFilter {
  const filter: TranscriptFilter = { limit: DEFAULT_TRANSCRIPTS };
  const token = nonEmptyQuery(r.query, 'token');
  if (token !== undefined) filter.token = token;
  if (r.query.after !== undefined) filter.after = queryInteger(r.query.after, 'after', 0, Number.MAX_SAFE_INTEGER);
  if (r.query.limit !== undefined) filter.limit = queryInteger(r.query.limit, 'limit', 1, MAX_TRANSCRIPTS);
  return filter;
}

function queryInteger(value: string, name: string, min: number, max: number): number {
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw badField(name, `must be an integer from ${min} to ${max}`);
  return n;
}
