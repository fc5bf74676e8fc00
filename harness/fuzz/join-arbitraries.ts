// fast-check arbitraries for join stream cases: any JoinRequest (every
// oneof case, any field contents), mutations of the honest next message,
// damaged frames, and whole cases that play honest for a few steps and then
// misbehave, so that every stage of the ceremony gets hostile input.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { JoinRequest } from '../../reference/protocol/messages.js';
import { REGISTRATION_SECRET } from './fixture.js';
import type { FrameAttack } from './frames.js';
import type { JoinCase, MintRequest, Move } from './join-driver.js';
import type { ClientParamsChange, JwsChange, KeyTextChange, Mutation } from './mutations.js';

const FIXTURE_COUNT = 7;
const FIXTURE_NAMES = ['fz-key', 'fz-secret', 'fz-rotate', 'fz-host', 'fz-locked', 'fz-expired', 'fz-bound'];

/** Mostly short text, any code points (lone surrogates included), sometimes long. */
export const text: Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 3_000 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', 'bound_keypair', 'Bot', 'Instance', '..', '%00', 'a'.repeat(300)) },
);

export const bytes: Arbitrary<Uint8Array> = fc.oneof(
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4_096 }) },
);

const optional = { requiredKeys: [] as never[] };

const timestamp = fc.record({
  seconds: fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.constantFrom(0, 253402300799, 253402300800, -62135596800)),
  nanos: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
}, optional);

const publicKeys = fc.record({ public_tls_key: bytes, public_ssh_key: bytes }, optional);

const clientParams = fc.oneof(
  fc.record({ bot_params: fc.record({ public_keys: publicKeys, expires: timestamp }, optional) }),
  fc.record({ host_params: fc.record({ public_keys: publicKeys, host_name: text, additional_principals: fc.array(text, { maxLength: 4 }), dns_names: fc.array(text, { maxLength: 4 }) }, optional) }),
  fc.constant({}),
);

/** Any JoinRequest: every oneof case, or none, with arbitrary contents. */
export const anyRequest: Arbitrary<JoinRequest> = fc.oneof(
  fc.record({
    client_init: fc.record({
      join_method: fc.oneof(fc.constant('bound_keypair'), text),
      token_name: fc.oneof(fc.constantFrom(...FIXTURE_NAMES), text),
      system_role: fc.oneof(fc.constantFrom('Bot', 'Instance', 'Admin', 'Node'), text),
      forwarded_by_proxy: fc.boolean(),
      proxy_supplied_parameters: fc.record({ remote_addr: text, client_version: text }, optional),
    }, optional),
  }),
  fc.record({ token_init: fc.record({ client_params: clientParams }, optional) }),
  fc.record({
    bound_keypair_init: fc.record({ client_params: clientParams, initial_join_secret: fc.oneof(text, fc.constant(REGISTRATION_SECRET)), previous_join_state: bytes }, optional),
  }),
  fc.record({
    solution: fc.oneof(
      fc.record({ bound_keypair_challenge_solution: fc.record({ solution: bytes }, optional) }),
      fc.record({ bound_keypair_rotation_response: fc.record({ public_key: bytes }, optional) }),
      fc.record({ iam_challenge_solution: fc.record({ sts_identity_request: bytes }, optional) }),
      fc.record({ oracle_challenge_solution: fc.record({ cert: bytes, intermediate: bytes, signature: bytes, signed_root_ca_req: bytes }, optional) }),
      fc.constant({}),
    ),
  }),
  fc.record({ iam_init: fc.record({ client_params: clientParams }, optional) }),
  fc.record({
    giving_up: fc.record({
      reason: fc.constantFrom('REASON_UNSPECIFIED', 'REASON_UNSUPPORTED_JOIN_METHOD', 'REASON_UNSUPPORTED_MESSAGE_TYPE', 'REASON_CHALLENGE_SOLUTION_FAILED'),
      msg: text,
    }, optional),
  }),
  fc.record({ ec2_init: fc.record({ client_params: clientParams, document: bytes }, optional) }),
  fc.record({ oracle_init: fc.record({ client_params: clientParams }, optional) }),
  fc.constant({}),
) as Arbitrary<JoinRequest>;

const jsonValue = fc.jsonValue({ maxDepth: 2 }) as Arbitrary<JwsChangeJson>;
type JwsChangeJson = Extract<JwsChange, { kind: 'segment' }>['json'];

const jwsChange: Arbitrary<JwsChange> = fc.oneof(
  fc.record({ kind: fc.constant('segment' as const), segment: fc.constantFrom(0 as const, 1 as const), json: jsonValue }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      segment: fc.constantFrom(0 as const, 1 as const),
      name: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('alg', 'typ', 'kid', 'crit', 'jwk', 'jku', 'x5u', 'x5c', 'b64', 'zip', 'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'nonce') },
        { weight: 1, arbitrary: text },
      ),
      value: fc.oneof(jsonValue, fc.constantFrom('none', 'HS256', 'EdDSA', 'ES256', 'RS256'), fc.integer(), fc.constantFrom(0, -1, 2 ** 53, 1e300)),
      resign: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('signature' as const), bytes }),
  fc.record({ kind: fc.constant('segments' as const), count: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom('.', '=', '+', '/', ' ', '\n', '\u0000'), text) }),
  fc.record({ kind: fc.constant('oversize' as const), extra: fc.integer({ min: 1, max: 100 }) }),
);

const SSH_TYPES = ['ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-dss', 'sk-ssh-ed25519@openssh.com', 'ssh-ed25519-cert-v01@openssh.com'];

export const keyTextChange: Arbitrary<KeyTextChange> = fc.oneof(
  fc.record({ kind: fc.constant('type' as const), value: fc.oneof(fc.constantFrom('', ...SSH_TYPES), text) }),
  fc.record({ kind: fc.constant('blob-text' as const), value: fc.oneof(fc.base64String({ maxLength: 200 }), text) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('blob-bytes' as const),
      op: fc.constantFrom('truncate' as const, 'flip' as const, 'append' as const, 'length-prefix' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 4, maxLength: 16 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crafted' as const),
      type: fc.constantFrom(...SSH_TYPES),
      fields: fc.array(fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('nistp256', 'nistp384', 'nistp521').map((s) => new Uint8Array(Buffer.from(s)))), { maxLength: 4 }),
    }),
  },
  fc.record({ kind: fc.constant('whole' as const), value: text }),
  fc.record({
    kind: fc.constant('wrap' as const),
    before: fc.oneof(fc.constantFrom('', 'command="x" ', '\n', ' ', '#'), text),
    after: fc.oneof(fc.constantFrom('', '\nssh-ed25519 AAAA', ' \u0000', '\r\n'), text),
  }),
);

const clientParamsChange: Arbitrary<ClientParamsChange> = fc.record({
  expires: timestamp,
  host_name: text,
  additional_principals: fc.array(text, { maxLength: 4 }),
  dns_names: fc.array(text, { maxLength: 4 }),
  swap: fc.boolean(),
}, optional);

export const mutation: Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: bytes, asText: text }) },
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), keep: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), positions: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('append' as const), at: fc.nat(), value: bytes }),
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('switch-oneof' as const), to: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('jws' as const), change: jwsChange }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('authorized-key' as const), change: keyTextChange }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('client-params' as const), params: clientParamsChange }) },
);

/** POST join-states bodies; "$bound" stands for the bot instance fz-bound is bound to. */
const mintRequest: Arbitrary<MintRequest> = fc.record({
  subject: fc.oneof(fc.constantFrom('fz-bound-bot', 'fz-key-bot'), text),
  recovery_sequence: fc.oneof(fc.constantFrom(0, 1, 2), fc.nat({ max: 0xffff_ffff })),
  recovery_limit: fc.oneof(fc.constantFrom(0, 1, 1_000_000), fc.nat({ max: 0xffff_ffff })),
  recovery_mode: fc.oneof(fc.constantFrom('standard', 'relaxed', 'insecure', ''), text),
  bot_instance_id: fc.oneof(fc.constant('$bound'), text),
  host_id: text,
  cluster_name: fc.oneof(fc.constant('bkp.test'), text),
  issued_at: fc.oneof(
    fc.date({ noInvalidDate: true, min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z') }),
    fc.date({ noInvalidDate: true }),
  ).map((d) => d.toISOString()),
  signer: fc.constantFrom('active', 'previous'),
}, { requiredKeys: ['subject', 'recovery_sequence'] });

const misbehaviour: Arbitrary<Move> = fc.oneof(
  { weight: 6, arbitrary: mutation.map((m) => ({ kind: 'mutated' as const, mutation: m })) },
  { weight: 2, arbitrary: anyRequest.map((message) => ({ kind: 'arbitrary' as const, message })) },
  { weight: 1, arbitrary: fc.array(anyRequest, { minLength: 2, maxLength: 12 }).map((messages) => ({ kind: 'burst' as const, messages })) },
  { weight: 1, arbitrary: mintRequest.map((request) => ({ kind: 'minted-join-state' as const, request })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'honest' as const }) },
);

export const frameAttack: Arbitrary<FrameAttack> = fc.oneof(
  fc.record({ kind: fc.constant('garbage' as const), bytes }),
  fc.record({ kind: fc.constant('truncated' as const), keep: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
  fc.record({ kind: fc.constant('bitflip' as const), positions: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('short-frame' as const), missing: fc.integer({ min: 1, max: 70_000 }) }),
  fc.record({ kind: fc.constant('oversized-declared' as const), declared: fc.nat({ max: 2 ** 32 - 64 * 1024 - 2 }) }),
  fc.record({ kind: fc.constant('oversized' as const), extra: fc.integer({ min: 1, max: 4_096 }) }),
  fc.constant({ kind: 'compressed' as const }),
  fc.record({ kind: fc.constant('flag' as const), flag: fc.integer({ min: 2, max: 255 }) }),
  fc.record({ kind: fc.constant('partial-header' as const), length: fc.integer({ min: 1, max: 4 }) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('extra-field' as const),
      field: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 2 ** 29 - 1 })),
      wireType: fc.integer({ min: 0, max: 7 }),
      bytes: fc.uint8Array({ maxLength: 32 }),
    }),
  },
  fc.record({ kind: fc.constant('raw' as const), bytes }),
);

const ending = fc.constantFrom('half-close' as const, 'half-close' as const, 'cancel' as const, 'drop' as const);
const token = fc.oneof({ weight: 12, arbitrary: fc.nat({ max: FIXTURE_COUNT - 1 }) }, { weight: 1, arbitrary: text });
const honestSteps = (n: number): Move[] => Array.from({ length: n }, () => ({ kind: 'honest' as const }));

/** Honest for a few steps, then one to three misbehaving moves. */
export const messageCase: Arbitrary<JoinCase & { customKey: KeyTextChange | null }> = fc
  .record({
    token,
    identity: fc.boolean(),
    joinState: fc.boolean(),
    prefix: fc.integer({ min: 0, max: 5 }),
    tail: fc.array(misbehaviour, { minLength: 1, maxLength: 3 }),
    ending,
    // A token whose pre-registered key is a damaged authorized_keys line.
    customKey: fc.option(keyTextChange, { freq: 8 }),
  })
  .map(({ prefix, tail, ...rest }) => ({ ...rest, moves: [...honestSteps(prefix), ...tail] }));

/** Honest for a few steps, then one damaged frame. */
export const frameCase: Arbitrary<JoinCase> = fc
  .record({
    token: fc.nat({ max: FIXTURE_COUNT - 1 }),
    identity: fc.boolean(),
    joinState: fc.boolean(),
    prefix: fc.integer({ min: 0, max: 4 }),
    attack: frameAttack,
    after: fc.integer({ min: 0, max: 2 }),
    ending,
  })
  .map(({ prefix, attack, after, ...rest }) => ({ ...rest, moves: [...honestSteps(prefix), { kind: 'frame' as const, attack }, ...honestSteps(after)] }));
