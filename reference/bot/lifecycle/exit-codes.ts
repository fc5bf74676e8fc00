// How a failure becomes the process's exit code (documented in docs/bot.md):
//   0 success, or a clean stop (SIGTERM/SIGINT)
//   1 the join failed: the server refused it or could not be reached
//   2 usage or configuration error: bad flag, conflicting secrets, missing token
//   3 local state error: unreadable or corrupt state, unwritable storage
// Errors keep their cause chain; the first classified error in it decides.
import { BotJoinError } from '../join/join-types.js';
import { ConfigError } from '../config/config-error.js';
import type { LogFields } from '../log.js';

export const EXIT_OK = 0;
export const EXIT_JOIN_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_LOCAL_STATE = 3;

/** The bot's own storage or state is unusable (exit 3). */
export class LocalStateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStateError';
  }
}

/** Adds what the bot was doing ("joining with token") in front of a cause, as Go's trace.Wrap does. */
export class ContextError extends Error {
  constructor(context: string, cause: unknown) {
    super(`${context}: ${messageOf(cause)}`, { cause });
    this.name = 'ContextError';
  }
}

export function exitCodeFor(err: unknown): number {
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 16; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ConfigError) return EXIT_USAGE;
    if (e instanceof LocalStateError) return EXIT_LOCAL_STATE;
    if (e instanceof BotJoinError) return EXIT_JOIN_FAILED;
    if (!(e instanceof Error)) break;
  }
  return EXIT_JOIN_FAILED;
}

/** Log fields for an error: its message and, for a join refusal, the gRPC code. */
export function errorFields(err: unknown): LogFields {
  const join = findCause(err, BotJoinError);
  const message = messageOf(err);
  // A cause the message does not already carry (e.g. why the storage is not writable).
  const cause = err instanceof Error && err.cause !== undefined ? messageOf(err.cause) : undefined;
  return {
    error: message,
    ...(cause !== undefined && !message.includes(cause) ? { cause } : {}),
    ...(join ? { code: join.code } : {}),
  };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function findCause<T>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 16; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof type) return e;
    if (!(e instanceof Error)) break;
  }
  return undefined;
}
