// TypeScript shapes of the teleport.join.v1 messages as @grpc/proto-loader
// presents them (keepCase, oneofs, bytes as Buffer, enums as strings, no
// defaults). Every field is optional on the wire, so every field is optional
// here: handlers must validate what they read.

export interface Timestamp {
  seconds?: string | number;
  nanos?: number;
}

export interface PublicKeys {
  public_tls_key?: Buffer;
  public_ssh_key?: Buffer;
}

export interface BotParams {
  public_keys?: PublicKeys;
  expires?: Timestamp;
}

export interface HostParams {
  public_keys?: PublicKeys;
  host_name?: string;
  additional_principals?: string[];
  dns_names?: string[];
}

export interface ClientParams {
  payload?: 'host_params' | 'bot_params';
  host_params?: HostParams;
  bot_params?: BotParams;
}

export interface ClientInit {
  join_method?: string;
  token_name?: string;
  system_role?: string;
  forwarded_by_proxy?: boolean;
  proxy_supplied_parameters?: { remote_addr?: string; client_version?: string };
}

export interface BoundKeypairInit {
  client_params?: ClientParams;
  initial_join_secret?: string;
  previous_join_state?: Buffer;
}

export interface BoundKeypairChallenge {
  public_key?: Buffer;
  challenge?: string;
}

export interface BoundKeypairRotationRequest {
  signature_algorithm_suite?: string;
}

export interface ChallengeSolution {
  payload?: 'bound_keypair_challenge_solution' | 'bound_keypair_rotation_response' | 'iam_challenge_solution' | 'oracle_challenge_solution';
  bound_keypair_challenge_solution?: { solution?: Buffer };
  bound_keypair_rotation_response?: { public_key?: Buffer };
  iam_challenge_solution?: { sts_identity_request?: Buffer };
  oracle_challenge_solution?: Record<string, Buffer>;
}

export type GivingUpReason =
  | 'REASON_UNSPECIFIED'
  | 'REASON_UNSUPPORTED_JOIN_METHOD'
  | 'REASON_UNSUPPORTED_MESSAGE_TYPE'
  | 'REASON_CHALLENGE_SOLUTION_FAILED';

export interface GivingUp {
  reason?: GivingUpReason;
  msg?: string;
}

export type JoinRequestKind =
  | 'client_init' | 'token_init' | 'bound_keypair_init' | 'solution'
  | 'iam_init' | 'giving_up' | 'ec2_init' | 'oracle_init';

export interface JoinRequest {
  payload?: JoinRequestKind;
  client_init?: ClientInit;
  token_init?: { client_params?: ClientParams };
  bound_keypair_init?: BoundKeypairInit;
  solution?: ChallengeSolution;
  iam_init?: { client_params?: ClientParams };
  giving_up?: GivingUp;
  ec2_init?: { client_params?: ClientParams; document?: Buffer };
  oracle_init?: { client_params?: ClientParams };
}

export interface ServerInit {
  join_method?: string;
  signature_algorithm_suite?: string;
}

export interface Challenge {
  payload?: 'bound_keypair_challenge' | 'bound_keypair_rotation_request' | 'iam_challenge' | 'oracle_challenge';
  bound_keypair_challenge?: BoundKeypairChallenge;
  bound_keypair_rotation_request?: BoundKeypairRotationRequest;
  iam_challenge?: { challenge?: string };
  oracle_challenge?: { challenge?: string };
}

export interface Certificates {
  tls_cert?: Buffer;
  tls_ca_certs?: Buffer[];
  ssh_cert?: Buffer;
  ssh_ca_keys?: Buffer[];
}

export interface BoundKeypairResult {
  join_state?: Buffer;
  public_key?: Buffer;
}

export interface BotResult {
  certificates?: Certificates;
  bound_keypair_result?: BoundKeypairResult;
}

export interface HostResult {
  certificates?: Certificates;
  host_id?: string;
  bound_keypair_result?: BoundKeypairResult;
}

export interface Result {
  payload?: 'host_result' | 'bot_result';
  host_result?: HostResult;
  bot_result?: BotResult;
}

export interface JoinResponse {
  payload?: 'init' | 'challenge' | 'result';
  init?: ServerInit;
  challenge?: Challenge;
  result?: Result;
}

/**
 * The name Teleport's server uses for a request message in its
 * "expected client to send message of type X, got Y" errors. Teleport prints
 * Go type names; we print the same so error texts match across servers.
 */
export function describeRequest(req: JoinRequest): string {
  switch (req.payload ?? setField(req, REQUEST_KINDS)) {
    case 'client_init': return '*messages.ClientInit';
    case 'token_init': return '*messages.TokenInit';
    case 'bound_keypair_init': return '*messages.BoundKeypairInit';
    case 'iam_init': return '*messages.IAMInit';
    case 'ec2_init': return '*messages.EC2Init';
    case 'oracle_init': return '*messages.OracleInit';
    case 'giving_up': return '*messages.GivingUp';
    case 'solution':
      switch (req.solution?.payload ?? setField(req.solution ?? {}, SOLUTION_KINDS)) {
        case 'bound_keypair_challenge_solution': return '*messages.BoundKeypairChallengeSolution';
        case 'bound_keypair_rotation_response': return '*messages.BoundKeypairRotationResponse';
        case 'iam_challenge_solution': return '*messages.IAMChallengeSolution';
        case 'oracle_challenge_solution': return '*messages.OracleChallengeSolution';
        default: return '*messages.ChallengeSolution(empty)';
      }
    default: return '<nil>';
  }
}

/** Same naming for server messages, used by clients that log what they got. */
export function describeResponse(resp: JoinResponse): string {
  switch (resp.payload ?? setField(resp, ['init', 'challenge', 'result'])) {
    case 'init': return '*messages.ServerInit';
    case 'result': return (resp.result?.payload ?? setField(resp.result ?? {}, ['host_result', 'bot_result'])) === 'host_result' ? '*messages.HostResult' : '*messages.BotResult';
    case 'challenge':
      switch (resp.challenge?.payload ?? setField(resp.challenge ?? {}, ['bound_keypair_challenge', 'bound_keypair_rotation_request'])) {
        case 'bound_keypair_challenge': return '*messages.BoundKeypairChallenge';
        case 'bound_keypair_rotation_request': return '*messages.BoundKeypairRotationRequest';
        default: return '*messages.Challenge';
      }
    default: return '<nil>';
  }
}

const REQUEST_KINDS = ['client_init', 'token_init', 'bound_keypair_init', 'solution', 'iam_init', 'giving_up', 'ec2_init', 'oracle_init'] as const;
const SOLUTION_KINDS = ['bound_keypair_challenge_solution', 'bound_keypair_rotation_response', 'iam_challenge_solution', 'oracle_challenge_solution'] as const;

/** Messages built in code (not decoded) carry no `payload` marker: find the oneof field that is set. */
function setField<K extends string>(obj: object, kinds: readonly K[]): K | undefined {
  return kinds.find((k) => (obj as Record<string, unknown>)[k] !== undefined);
}
