// The route table: each control API route (docs/control-api.md) as a call on
// the ControlPlane. Handlers validate everything they pass on before calling
// the plane, so a bad request changes nothing.
import { badField } from '../../protocol/errors.js';
import { SIGNATURE_ALGORITHM_SUITES, isSignatureAlgorithmSuite } from '../../crypto/index.js';
import { isValidTimestamp } from '../clock/clock.js';
import { isFieldMap } from '../validation/fields.js';
import { CONTROL_API_BASE_PATH, MAX_TIMEOUT_MS } from './constants.js';
import { advanceBy, integerField, nonEmptyQuery, sinceIndex } from './request-fields.js';
import { emptyBody, jsonBody, tokenBody } from './request-parsing.js';
import { noContent, ok, param, route } from './router.js';
import { MINT_FIELDS, parseMintJoinStateRequest } from './join-state-minting.js';
import { scriptingRoutes, transcriptRoute } from './scripting-routes.js';
import type { ControlPlane, Settings } from './control-plane.js';
import type { Route } from './router.js';

/** The Location of a created resource. */
const location = (...segments: string[]) => CONTROL_API_BASE_PATH + segments.map(encodeURIComponent).join('/');

const withTokenName = (name: string | undefined) => (name === undefined ? {} : { token_name: name });

export function routes(plane: ControlPlane): Route[] {
  return [
    route('health', { GET: async () => ok({ status: 'ok' }) }),
    route('capabilities', { GET: async () => ok(plane.capabilities()) }),
    route('cluster', { GET: async () => ok(plane.cluster()) }),
    route('cluster/bound-keypair-ca/rotation', {
      POST: async (r) => {
        await emptyBody(r);
        return ok(await plane.rotateBoundKeypairCa());
      },
    }),
    route('join-states', {
      POST: async (r) => ok(await plane.mintJoinState(parseMintJoinStateRequest(await jsonBody(r, MINT_FIELDS)))),
    }),
    route('tokens', {
      GET: async () => ok({ items: await plane.tokens.list() }),
      POST: async (r) => {
        const token = await plane.tokens.create(await tokenBody(r));
        return { status: 201, body: token, headers: { Location: location('tokens', token.metadata.name) } };
      },
    }),
    route('tokens/:name', {
      GET: async (r) => ok(await plane.tokens.get(param(r, 0))),
      PUT: async (r) => {
        const name = param(r, 0);
        const doc = await tokenBody(r);
        const bodyName = isFieldMap(doc.metadata) ? doc.metadata.name : undefined;
        if (bodyName !== name) throw badField('metadata.name', `must equal the token name in the path (${JSON.stringify(name)})`);
        return ok(await plane.tokens.apply(doc));
      },
      DELETE: async (r) => {
        await plane.tokens.delete(param(r, 0));
        return noContent;
      },
    }),
    route('tokens/:name/status', {
      PUT: async (r) => ok(await plane.tokens.writeStatus(param(r, 0), await jsonBody(r, ['bound_keypair']))),
    }),
    route('tokens/:name/rotation-request', {
      POST: async (r) => {
        await emptyBody(r);
        return ok(await plane.tokens.requestRotation(param(r, 0)));
      },
    }),
    route('locks', {
      GET: async () => ok({ items: await plane.locks.list() }),
      POST: async (r) => {
        const lock = await plane.locks.create(await jsonBody(r, ['kind', 'version', 'metadata', 'spec']));
        return { status: 201, body: lock, headers: { Location: location('locks', lock.metadata.name) } };
      },
    }),
    route('locks/:name', {
      DELETE: async (r) => {
        await plane.locks.delete(param(r, 0));
        return noContent;
      },
    }),
    route('bot-instances', { GET: async (r) => ok({ items: await plane.botInstances.list(nonEmptyQuery(r.query, 'bot_name')) }) }, ['bot_name']),
    route('bot-instances/:id', { GET: async (r) => ok(await plane.botInstances.get(param(r, 0))) }),
    transcriptRoute(plane),
    ...scriptingRoutes(plane),
    route('join-attempts', { GET: async (r) => ok({ items: await plane.joinAttempts.list(withTokenName(nonEmptyQuery(r.query, 'token_name'))) }) }, ['token_name']),
    route('audit-events', {
      GET: async (r) => {
        const filter: { event?: string; token_name?: string; since_index?: number } = {};
        const event = nonEmptyQuery(r.query, 'event');
        const tokenName = nonEmptyQuery(r.query, 'token_name');
        const since = sinceIndex(r.query.since_index);
        if (event !== undefined) filter.event = event;
        if (tokenName !== undefined) filter.token_name = tokenName;
        if (since !== undefined) filter.since_index = since;
        return ok({ items: await plane.audit.list(filter) });
      },
    }, ['event', 'token_name', 'since_index']),
    route('clock', { GET: async () => ok(plane.clock.get()) }),
    route('clock/advance', { POST: async (r) => ok(plane.clock.advance(advanceBy(await jsonBody(r, ['duration_ms', 'duration'])))) }),
    route('clock/set', {
      POST: async (r) => {
        const { time } = await jsonBody(r, ['time']);
        if (typeof time !== 'string' || !isValidTimestamp(time)) throw badField('time', 'must be an RFC 3339 timestamp, e.g. 2025-01-02T15:04:05Z');
        return ok(plane.clock.set(new Date(time)));
      },
    }),
    route('settings', {
      GET: async () => ok(plane.settings.get()),
      PATCH: async (r) => {
        const b = await jsonBody(r, ['stream_timeout_ms', 'signature_algorithm_suite']);
        const patch: Partial<Settings> = {};
        if (b.stream_timeout_ms !== undefined) patch.stream_timeout_ms = integerField(b.stream_timeout_ms, 'stream_timeout_ms', 1, MAX_TIMEOUT_MS, 'milliseconds');
        if (b.signature_algorithm_suite !== undefined) {
          if (typeof b.signature_algorithm_suite !== 'string' || !isSignatureAlgorithmSuite(b.signature_algorithm_suite)) {
            throw badField('signature_algorithm_suite', `must be one of ${SIGNATURE_ALGORITHM_SUITES.join(', ')}`);
          }
          patch.signature_algorithm_suite = b.signature_algorithm_suite;
        }
        return ok(plane.settings.update(patch));
      },
    }),
    route('reset', {
      POST: async (r) => {
        await emptyBody(r);
        await plane.reset();
        return noContent;
      },
    }),
  ];
}
