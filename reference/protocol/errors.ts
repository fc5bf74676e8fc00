// Teleport's error kinds (the `trace` package) and how each surfaces on the
// wire: as a gRPC status on the join stream and as an HTTP status on the
// control API. Handlers throw TraceError; transports translate.
import { status as GrpcStatus } from '@grpc/grpc-js';

export type TraceKind =
  | 'AccessDenied'
  | 'BadParameter'
  | 'NotFound'
  | 'NotImplemented'
  | 'LimitExceeded'
  | 'CompareFailed'
  | 'AlreadyExists'
  | 'ConnectionProblem'
  | 'Unauthenticated'
  /** An error with no trace kind: gRPC UNKNOWN, as Teleport's plain errors. */
  | 'Internal';

export class TraceError extends Error {
  readonly kind: TraceKind;
  /** Extra context for logs and audit; never changes the client-visible message. */
  readonly details?: string;
  /** Dotted path of the request field at fault, when known (the control API reports it). */
  readonly field?: string;

  constructor(kind: TraceKind, message: string, details?: string, field?: string) {
    super(message);
    this.name = `${kind}Error`;
    this.kind = kind;
    if (details !== undefined) this.details = details;
    if (field !== undefined) this.field = field;
  }
}

export const accessDenied = (msg: string, details?: string) => new TraceError('AccessDenied', msg, details);
export const badParameter = (msg: string, details?: string) => new TraceError('BadParameter', msg, details);
/** BadParameter about one request field: the message starts with the field's path. */
export const badField = (field: string, problem: string) => new TraceError('BadParameter', `${field}: ${problem}`, undefined, field);
export const notFound = (msg: string) => new TraceError('NotFound', msg);
export const notImplemented = (msg: string) => new TraceError('NotImplemented', msg);
export const limitExceeded = (msg: string) => new TraceError('LimitExceeded', msg);
export const compareFailed = (msg: string) => new TraceError('CompareFailed', msg);
export const alreadyExists = (msg: string) => new TraceError('AlreadyExists', msg);
export const unauthenticated = (msg: string) => new TraceError('Unauthenticated', msg);

/**
 * Teleport's trace.Wrap(err, context): the message gains the context in front,
 * the kind stays the inner error's. Clients see both texts, which is why the
 * suite matches error messages as substrings.
 */
export function wrap(err: unknown, context: string): TraceError {
  if (err instanceof TraceError) {
    return new TraceError(err.kind, `${context}: ${err.message}`, err.details, err.field);
  }
  const inner = err instanceof Error ? err.message : String(err);
  return new TraceError('Internal', `${context}: ${inner}`);
}

export function isTraceError(err: unknown, kind?: TraceKind): err is TraceError {
  return err instanceof TraceError && (kind === undefined || err.kind === kind);
}

const grpcCodes: Record<TraceKind, GrpcStatus> = {
  AccessDenied: GrpcStatus.PERMISSION_DENIED,
  BadParameter: GrpcStatus.INVALID_ARGUMENT,
  NotFound: GrpcStatus.NOT_FOUND,
  NotImplemented: GrpcStatus.UNIMPLEMENTED,
  LimitExceeded: GrpcStatus.RESOURCE_EXHAUSTED,
  CompareFailed: GrpcStatus.FAILED_PRECONDITION,
  AlreadyExists: GrpcStatus.ALREADY_EXISTS,
  ConnectionProblem: GrpcStatus.UNAVAILABLE,
  Unauthenticated: GrpcStatus.UNAUTHENTICATED,
  Internal: GrpcStatus.UNKNOWN,
};

export function grpcCodeFor(kind: TraceKind): GrpcStatus {
  return grpcCodes[kind];
}

/** gRPC status code names as the suite and the reports print them. */
export function grpcCodeName(code: number): string {
  const name = (GrpcStatus as unknown as Record<number, string>)[code];
  return name ?? `CODE_${code}`;
}

const httpCodes: Record<TraceKind, number> = {
  AccessDenied: 403,
  BadParameter: 400,
  NotFound: 404,
  NotImplemented: 501,
  LimitExceeded: 429,
  CompareFailed: 412,
  AlreadyExists: 409,
  ConnectionProblem: 503,
  Unauthenticated: 401,
  Internal: 500,
};

export function httpStatusFor(kind: TraceKind): number {
  return httpCodes[kind];
}
