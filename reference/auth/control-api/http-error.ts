import { TraceError } from '../../protocol/errors.js';
import type { TraceKind } from '../../protocol/errors.js';

/** A refusal by the HTTP layer itself, whose status is not the kind's usual one (401, 404, 405, 413, 415). */
export class HttpError extends TraceError {
  constructor(
    readonly status: number,
    kind: TraceKind,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(kind, message);
  }
}
