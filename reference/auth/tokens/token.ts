// The provision token resource in Teleport's own shape (kind: token,
// version: v2), field names as Teleport's JSON/YAML uses them. Timestamps are
// RFC 3339 strings, exactly as they appear in a resource file.

export const BOUND_KEYPAIR = 'bound_keypair';

export interface BoundKeypairOnboarding {
  initial_public_key?: string;
  registration_secret?: string;
  must_register_before?: string;
}

export interface BoundKeypairRecovery {
  limit?: number;
  mode?: string;
}

export interface BoundKeypairSpec {
  onboarding?: BoundKeypairOnboarding;
  recovery?: BoundKeypairRecovery;
  rotate_after?: string;
}

export interface BoundKeypairStatus {
  registration_secret?: string;
  bound_public_key?: string;
  bound_bot_instance_id?: string;
  bound_host_id?: string;
  recovery_count?: number;
  last_recovered_at?: string;
  last_rotated_at?: string;
}

export interface TokenMetadata {
  name: string;
  expires?: string;
  labels?: Record<string, string>;
  description?: string;
  /** Set by the store; changes on every write. */
  revision?: string;
}

export interface TokenSpec {
  roles: string[];
  join_method: string;
  bot_name?: string;
  bound_keypair?: BoundKeypairSpec;
}

export interface ProvisionToken {
  kind: 'token';
  version: 'v2';
  metadata: TokenMetadata;
  spec: TokenSpec;
  status?: { bound_keypair?: BoundKeypairStatus };
}

export type RecoveryMode = 'standard' | 'relaxed' | 'insecure';

/** "" means standard; anything else unknown is an error at join time, not at store time. */
export function parseRecoveryMode(mode: string | undefined): RecoveryMode | undefined {
  switch (mode ?? '') {
    case '':
    case 'standard':
      return 'standard';
    case 'relaxed':
      return 'relaxed';
    case 'insecure':
      return 'insecure';
    default:
      return undefined;
  }
}

/** Local service roles: the roles an Instance identity may carry (agents). */
export const LOCAL_SERVICE_ROLES = ['Node', 'Proxy', 'Auth', 'Kube', 'App', 'Db', 'WindowsDesktop', 'Discovery', 'Okta', 'MDM', 'Relay'] as const;

export function cloneToken(token: ProvisionToken): ProvisionToken {
  return structuredClone(token);
}
