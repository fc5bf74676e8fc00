// How a failed join is reported: BotJoinError with the gRPC status name and
// the server's own text (so a person or a scenario can match Teleport's
// messages), or LOCAL for a failure on the bot's side. `transient` tells the
// lifecycle whether retrying the same join could succeed without anyone
// changing anything.
import { grpcCodeName } from '../../protocol/errors.js';
import { BotJoinError } from './join-types.js';

export const LOCAL = 'LOCAL';

/** Teleport's retryable text for a join that lost a race on the token (§3.9). */
export const RETRYABLE_COMMIT_MESSAGE = 'committing updated token state, please try again';

/** The server never answered, or the answer did not arrive in time. */
const TRANSIENT_CODES = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);

export function errorFromStatus(code: number, details: string): BotJoinError {
  const name = grpcCodeName(code);
  const message = details === '' ? `join stream ended with gRPC status ${name}` : details;
  return new BotJoinError(name, message, TRANSIENT_CODES.has(name) || details.includes(RETRYABLE_COMMIT_MESSAGE));
}

export function localError(message: string, transient = false): BotJoinError {
  return new BotJoinError(LOCAL, message, transient);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
