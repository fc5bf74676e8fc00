// Validation of a join state minting request (POST join-states): which
// claims to put in a document signed by the cluster's bound_keypair CA.
import { isValidTimestamp } from '../clock/clock.js';
import { badField } from '../../protocol/errors.js';
import { objectAt, optionalString, optionalUint32 } from '../validation/fields.js';

export interface MintJoinStateRequest {
  subject: string;
  clusterName?: string;
  botInstanceId?: string;
  hostId?: string;
  recoverySequence: number;
  recoveryLimit: number;
  recoveryMode: string;
  issuedAt?: Date;
  signer: 'active' | 'previous';
}

export const MINT_FIELDS = ['subject', 'cluster_name', 'bot_instance_id', 'host_id', 'recovery_sequence', 'recovery_limit', 'recovery_mode', 'issued_at', 'signer'] as const;

export function parseMintJoinStateRequest(input: unknown): MintJoinStateRequest {
  const body = objectAt(input, '', MINT_FIELDS);
  const subject = optionalString(body, 'subject', '');
  if (!subject) throw badField('subject', 'is required (the bot name, or the host ID for agents)');
  const sequence = optionalUint32(body, 'recovery_sequence', '');
  if (sequence === undefined) throw badField('recovery_sequence', 'is required');
  const issuedAt = optionalString(body, 'issued_at', '');
  if (issuedAt !== undefined && !isValidTimestamp(issuedAt)) throw badField('issued_at', 'must be an RFC 3339 timestamp');
  const signer = optionalString(body, 'signer', '') ?? 'active';
  if (signer !== 'active' && signer !== 'previous') throw badField('signer', 'must be "active" or "previous"');
  const request: MintJoinStateRequest = {
    subject,
    recoverySequence: sequence,
    recoveryLimit: optionalUint32(body, 'recovery_limit', '') ?? 0,
    recoveryMode: optionalString(body, 'recovery_mode', '') ?? '',
    signer,
  };
  const clusterName = optionalString(body, 'cluster_name', '');
  const botInstanceId = optionalString(body, 'bot_instance_id', '');
  const hostId = optionalString(body, 'host_id', '');
  if (clusterName) request.clusterName = clusterName;
  if (botInstanceId) request.botInstanceId = botInstanceId;
  if (hostId) request.hostId = hostId;
  if (issuedAt) request.issuedAt = new Date(issuedAt);
  return request;
}
