// Parameter types that let steps read like an operator's sentences.
import { defineParameterType } from '@cucumber/cucumber';

defineParameterType({
  name: 'keytype',
  regexp: /Ed25519|ECDSA P-256|RSA/,
  transformer: (s: string) => s,
});

defineParameterType({
  name: 'grpcstatus',
  regexp: /OK|CANCELLED|UNKNOWN|INVALID_ARGUMENT|DEADLINE_EXCEEDED|NOT_FOUND|ALREADY_EXISTS|PERMISSION_DENIED|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|INTERNAL|UNAVAILABLE|DATA_LOSS|UNAUTHENTICATED/,
  transformer: (s: string) => s,
});

defineParameterType({
  name: 'duration',
  regexp: /\d+(?:\.\d+)? ?(?:milliseconds?|seconds?|minutes?|hours?|days?|ms|s|m|h|d)/,
  transformer: (s: string) => {
    const m = /^(\d+(?:\.\d+)?) ?(\w+)$/.exec(s);
    const n = Number(m?.[1]);
    const unit = m?.[2] ?? 's';
    const ms = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
    return n * ms;
  },
});
