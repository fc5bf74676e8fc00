// How a join stream ended, as a gRPC status: one mapping for the transport
// (which sends it) and the transcript recorder (which writes it down), so
// the two can never disagree.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { TraceError, grpcCodeFor } from '../../protocol/errors.js';
import { StreamClosedError, StreamDroppedError, StreamStatusError } from './join-stream.js';

export interface StreamStatus {
  code: number;
  details: string;
}

export const INTERNAL_ERROR_DETAILS = 'internal error in the reference auth server';

export function streamStatusOf(err: unknown): StreamStatus {
  if (err instanceof StreamStatusError) return { code: err.code, details: err.message };
  // Never sent (the connection just goes), but this is what the client ends up with.
  if (err instanceof StreamDroppedError) return { code: GrpcStatus.UNAVAILABLE, details: err.message };
  if (err instanceof TraceError) return { code: grpcCodeFor(err.kind), details: err.message };
  if (err instanceof StreamClosedError) return { code: GrpcStatus.CANCELLED, details: err.message };
  // Unexpected failures are bugs in the reference server; say so without leaking internals.
  return { code: GrpcStatus.INTERNAL, details: INTERNAL_ERROR_DETAILS };
}
