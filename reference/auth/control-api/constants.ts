// The control API's fixed paths and limits (docs/control-api.md). Re-exported
// by http-server.ts, where callers import them from.
import { MAX_GO_DURATION_MS } from '../../shared/go-duration.js';

export const CONTROL_API_BASE_PATH = '/conformance/v1/';
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Requests one client address may have in progress at once. The suite sends
 * a few at a time; a client past this gets 429, and others carry on.
 */
export const MAX_REQUESTS_PER_ADDRESS = 64;
/** Seconds a client refused with 429 is told to wait (Retry-After). */
export const RETRY_AFTER_SECONDS = 1;
/** setTimeout silently turns larger delays into 1 ms, so timeouts are capped here. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** Go's time.Duration tops out at 2^63-1 ns; a larger advance is surely a mistake. */
export const MAX_ADVANCE_MS = MAX_GO_DURATION_MS;
