// Audit events the reference server records. Type strings follow the
// `join_token.bound_keypair.*` naming seen in Teleport deployments; codes are
// this project's (Teleport's exact codes were not published in a form we
// could verify), and the control API exposes both.

export const AuditEventType = {
  recovery: 'join_token.bound_keypair.recovery',
  rotation: 'join_token.bound_keypair.rotation',
  joinStateVerificationFailed: 'join_token.bound_keypair.join_state_verification_failed',
  generationMismatch: 'cert.generation_mismatch',
  botJoin: 'bot.join',
  instanceJoin: 'instance.join',
  tokenCreate: 'join_token.create',
  tokenUpdate: 'join_token.update',
  tokenDelete: 'join_token.delete',
  lockCreate: 'lock.created',
  lockDelete: 'lock.deleted',
} as const;

export type AuditEventTypeName = (typeof AuditEventType)[keyof typeof AuditEventType];

export const AuditEventCode: Record<AuditEventTypeName, string> = {
  'join_token.bound_keypair.recovery': 'TBK001I',
  'join_token.bound_keypair.rotation': 'TBK002I',
  'join_token.bound_keypair.join_state_verification_failed': 'TBK003W',
  'cert.generation_mismatch': 'TCB001W',
  'bot.join': 'TJ001I',
  'instance.join': 'TJ002I',
  'join_token.create': 'TJT00I',
  'join_token.update': 'TJT01I',
  'join_token.delete': 'TJT02I',
  'lock.created': 'TLK00I',
  'lock.deleted': 'TLK01I',
};

export interface AuditEvent {
  /** Store-assigned, increasing. */
  index?: number;
  event: AuditEventTypeName;
  code: string;
  time: string;
  success: boolean;
  error?: string;
  remote_addr?: string;
  token_name?: string;
  bot_name?: string;
  join_method?: string;
  role?: string;
  public_key?: string;
  previous_public_key?: string;
  new_public_key?: string;
  recovery_count?: number;
  recovery_mode?: string;
  bot_instance_id?: string;
  host_id?: string;
  lock_name?: string;
}
