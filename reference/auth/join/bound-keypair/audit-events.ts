// The bound keypair audit events (§10), built in one place: a recovery event
// for every onboarding and recovery attempt the notes say is audited, and a
// rotation event with both keys.
import { AuditEventType } from '../../audit/audit-event.js';
import type { BoundKeypairSpec } from '../../tokens/token.js';
import type { JoinAttempt } from '../join-context.js';

export function recordRecovery(j: JoinAttempt, spec: BoundKeypairSpec, publicKey: string, recoveryCount: number, error?: unknown): Promise<void> {
  return j.deps.audit.record(AuditEventType.recovery, { error }, {
    remote_addr: j.remoteAddr,
    token_name: j.token.metadata.name,
    bot_name: j.token.spec.bot_name ?? '',
    public_key: publicKey,
    recovery_count: recoveryCount,
    recovery_mode: spec.recovery?.mode ?? '',
  });
}

export function recordRotation(j: JoinAttempt, previousKey: string, newKey: string, error?: unknown): Promise<void> {
  return j.deps.audit.record(AuditEventType.rotation, { error }, {
    remote_addr: j.remoteAddr,
    token_name: j.token.metadata.name,
    bot_name: j.token.spec.bot_name ?? '',
    previous_public_key: previousKey,
    new_public_key: newKey,
  });
}
