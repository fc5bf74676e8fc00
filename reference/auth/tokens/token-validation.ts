// Store-time validation of `kind: token` resources, as Teleport's
// CheckAndSetDefaults plus the auth layer's bound_keypair checks do it
// (research note §1.4). Strict on shape and types so a typo in a scenario's
// token fails loudly; deliberately NOT checking what Teleport only checks at
// join time (recovery.mode, the initial_public_key format), because scenarios
// must be able to store such tokens and watch the join fail.
import { badField, badParameter } from '../../protocol/errors.js';
import { decodeJson, decodeYaml, documentFormat } from '../validation/documents.js';
import {
  defined,
  isFieldMap,
  objectAt,
  optionalString,
  optionalTimestamp,
  optionalUint32,
  requireLiteral,
  resourceName,
  typeName,
} from '../validation/fields.js';
import { BOUND_KEYPAIR } from './token.js';
import type { DocumentFormat } from '../validation/documents.js';
import type { FieldMap } from '../validation/fields.js';
import type {
  BoundKeypairOnboarding,
  BoundKeypairRecovery,
  BoundKeypairSpec,
  BoundKeypairStatus,
  ProvisionToken,
  TokenMetadata,
  TokenSpec,
} from './token.js';

// ---- the token resource ------------------------------------------------------

export function parseTokenResource(input: unknown): ProvisionToken {
  const root = objectAt(input, '', ['kind', 'version', 'metadata', 'spec', 'status']);
  requireLiteral(root, 'kind', 'token');
  requireLiteral(root, 'version', 'v2');
  const token: ProvisionToken = { kind: 'token', version: 'v2', metadata: parseMetadata(root.metadata), spec: parseSpec(root.spec) };
  const status = parseStatus(root.status);
  if (status) token.status = status;
  return token;
}

function parseMetadata(value: unknown): TokenMetadata {
  const m = objectAt(value, 'metadata', ['name', 'expires', 'labels', 'description', 'revision']);
  return defined({
    name: resourceName(m.name, 'metadata.name'),
    expires: optionalTimestamp(m, 'expires', 'metadata'),
    labels: parseLabels(m.labels),
    description: optionalString(m, 'description', 'metadata'),
    // Accepted so a GET result can be sent back; the store assigns its own.
    revision: optionalString(m, 'revision', 'metadata'),
  });
}

function parseLabels(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isFieldMap(value)) throw badField('metadata.labels', `must be an object, got ${typeName(value)}`);
  // fromEntries defines own properties, so a "__proto__" label stays a label.
  return Object.fromEntries(Object.keys(value).map((key) => [key, optionalString(value, key, 'metadata.labels') ?? '']));
}

function parseSpec(value: unknown): TokenSpec {
  const s = objectAt(value, 'spec', ['roles', 'join_method', 'bot_name', 'bound_keypair']);
  const roles = parseRoles(s.roles);
  const joinMethod = optionalString(s, 'join_method', 'spec');
  if (!joinMethod) throw badField('spec.join_method', 'required');
  const botName = optionalString(s, 'bot_name', 'spec');
  if (roles.includes('Bot') && !botName) throw badField('spec.bot_name', 'required when spec.roles contains "Bot"');
  if (!roles.includes('Bot') && botName) throw badField('spec.bot_name', 'only allowed when spec.roles contains "Bot"');
  return defined({ roles, join_method: joinMethod, bot_name: botName, bound_keypair: parseBoundKeypairSpec(s.bound_keypair, joinMethod) });
}

function parseRoles(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw badField('spec.roles', 'must be a non-empty array of strings');
  return value.map((role, i) => {
    if (typeof role !== 'string' || role === '') throw badField(`spec.roles[${i}]`, 'must be a non-empty string');
    return role;
  });
}

function parseBoundKeypairSpec(value: unknown, joinMethod: string): BoundKeypairSpec | undefined {
  const path = 'spec.bound_keypair';
  if (value === undefined || value === null) {
    if (joinMethod === BOUND_KEYPAIR) throw badField(path, 'bound_keypair token requires non-nil spec.bound_keypair');
    return undefined;
  }
  const bk = objectAt(value, path, ['onboarding', 'recovery', 'rotate_after']);
  let recovery = parseRecovery(bk.recovery);
  // Teleport defaults only a wholly missing recovery block; an explicit block
  // without `limit` keeps 0, which refuses even the first join (note §1.4).
  if (recovery === undefined && joinMethod === BOUND_KEYPAIR) recovery = { limit: 1, mode: '' };
  return defined({ onboarding: parseOnboarding(bk.onboarding), recovery, rotate_after: optionalTimestamp(bk, 'rotate_after', path) });
}

function parseOnboarding(value: unknown): BoundKeypairOnboarding | undefined {
  const path = 'spec.bound_keypair.onboarding';
  if (value === undefined || value === null) return undefined;
  const o = objectAt(value, path, ['initial_public_key', 'registration_secret', 'must_register_before']);
  return defined({
    initial_public_key: optionalString(o, 'initial_public_key', path),
    registration_secret: optionalString(o, 'registration_secret', path),
    must_register_before: optionalTimestamp(o, 'must_register_before', path),
  });
}

function parseRecovery(value: unknown): BoundKeypairRecovery | undefined {
  const path = 'spec.bound_keypair.recovery';
  if (value === undefined || value === null) return undefined;
  const r = objectAt(value, path, ['limit', 'mode']);
  // mode is kept verbatim: an invalid mode is a join-time error in Teleport.
  return { limit: optionalUint32(r, 'limit', path) ?? 0, mode: optionalString(r, 'mode', path) ?? '' };
}

export function parseStatus(value: unknown): ProvisionToken['status'] | undefined {
  if (value === undefined || value === null) return undefined;
  const s = objectAt(value, 'status', ['bound_keypair']);
  const path = 'status.bound_keypair';
  if (s.bound_keypair === undefined || s.bound_keypair === null) return {};
  const b = objectAt(s.bound_keypair, path, [
    'registration_secret', 'bound_public_key', 'bound_bot_instance_id', 'bound_host_id',
    'recovery_count', 'last_recovered_at', 'last_rotated_at',
  ]);
  const status: BoundKeypairStatus = defined({
    registration_secret: optionalString(b, 'registration_secret', path),
    bound_public_key: optionalString(b, 'bound_public_key', path),
    bound_bot_instance_id: optionalString(b, 'bound_bot_instance_id', path),
    bound_host_id: optionalString(b, 'bound_host_id', path),
    recovery_count: optionalUint32(b, 'recovery_count', path),
    last_recovered_at: optionalTimestamp(b, 'last_recovered_at', path),
    last_rotated_at: optionalTimestamp(b, 'last_rotated_at', path),
  });
  return { bound_keypair: status };
}

// ---- documents -----------------------------------------------------------------

/**
 * Decodes one resource document (JSON or YAML) into a plain object. Without a
 * content type the text is sniffed: a leading "{" means JSON, so JSON parse
 * errors are reported as such rather than as YAML errors.
 */
export function parseTokenDocument(text: string, contentType?: string): FieldMap {
  let format: DocumentFormat | undefined;
  if (contentType === undefined || contentType === '') format = text.trimStart().startsWith('{') ? 'json' : 'yaml';
  else format = documentFormat(contentType);
  if (format === undefined) throw badParameter(`unsupported content type ${JSON.stringify(contentType)}: use application/json or application/yaml`);
  if (text.trim() === '') throw badParameter('empty document: expected one token resource');
  const value = format === 'json' ? decodeJson(text) : decodeYaml(text);
  if (!isFieldMap(value)) throw badParameter(`document must be an object, got ${typeName(value)}`);
  return value;
}
