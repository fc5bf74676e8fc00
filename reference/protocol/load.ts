// Loads joinservice.proto once and exposes the JoinService definition. Both
// the reference server and the suite's client driver use it, so the bytes on
// the wire are defined in exactly one place.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROTO_FILE = path.join(here, 'teleport/join/v1/joinservice.proto');

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

export const joinServiceClientConstructor = grpc.makeGenericClientConstructor(joinServiceDefinition, 'JoinService');
