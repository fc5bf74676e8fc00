// Loads joinservice.proto once and exposes the JoinService definition and
// message codecs. Both the reference server and the suite's client driver use
// it, so the bytes on the wire are defined in exactly one place.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
import type { JoinRequest, JoinResponse } from './messages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROTO_FILE = path.join(here, 'teleport/join/v1/joinservice.proto');
export const JOIN_SERVICE_PATH = '/teleport.join.v1.JoinService/Join';

const packageDefinition = protoLoader.loadSync(PROTO_FILE, {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: false,
  oneofs: true,
  includeDirs: [here],
});

export const joinServiceDefinition = packageDefinition['teleport.join.v1.JoinService'] as grpc.ServiceDefinition;

type Codec<T> = { serialize: (value: T) => Buffer; deserialize: (bytes: Buffer) => T };

function codecs(): { request: Codec<JoinRequest>; response: Codec<JoinResponse> } {
  const join = (joinServiceDefinition as unknown as Record<string, grpc.MethodDefinition<JoinRequest, JoinResponse>>)['Join'];
  if (!join) throw new Error('joinservice.proto has no Join method');
  return {
    request: { serialize: join.requestSerialize, deserialize: join.requestDeserialize },
    response: { serialize: join.responseSerialize, deserialize: join.responseDeserialize },
  };
}

/** Encoders/decoders for raw bytes, for fuzzing and for evidence in reports. */
export const joinCodecs = codecs();

export const joinServiceClientConstructor = grpc.makeGenericClientConstructor(joinServiceDefinition, 'JoinService');
