// §7: the join state document is the server's memory of the last successful
// join, held by the client. It is required once a recovery has happened
// (recovery_count > 0) unless the token is in insecure mode. A missing
// document just fails the join; a present but wrong one means someone else
// joined with this key since — the token is locked.
import { randomUUID } from 'node:crypto';
import { verifyJoinState } from '../../../crypto/index.js';
import { accessDenied } from '../../../protocol/errors.js';
import { formatTimestamp } from '../../clock/clock.js';
import { AuditEventType } from '../../audit/audit-event.js';
import { trustedJoinStateKeys } from '../../ca/cluster-authorities.js';
import type { BoundKeypairStatus, RecoveryMode } from '../../tokens/token.js';
import type { BoundKeypairInit } from '../../../protocol/messages.js';
import type { JoinAttempt } from '../join-context.js';
import { mutantActive } from '../../../mutants/switch.js';

export interface VerifiedJoinState {
  botInstanceId?: string;
  hostId?: string;
}

export function joinStateRequired(status: BoundKeypairStatus, mode: RecoveryMode): boolean {
  return (status.recovery_count ?? 0) > 0 && mode !== 'insecure';
}

export async function checkJoinState(
  j: JoinAttempt,
  init: BoundKeypairInit,
  status: BoundKeypairStatus,
  mode: RecoveryMode,
): Promise<VerifiedJoinState | undefined> {
  if (!joinStateRequired(status, mode)) return undefined;
  const failed = (detail: string) => accessDenied('join state verification failed', detail);
  const document = init.previous_join_state ?? Buffer.alloc(0);
  if (document.length === 0) {
    throw failed('previous join state is required but was not provided');
  }
  // Mutant: server-join-state-not-verified takes any present document as valid.
  if (mutantActive('server-join-state-not-verified')) return {};
  const isAgent = j.role === 'Instance';
  try {
    const verified = verifyJoinState({
      joinState: document,
      trustedKeys: trustedJoinStateKeys(j.deps.authorities.boundKeypair),
      clusterName: j.deps.authorities.clusterName,
      subject: isAgent ? (status.bound_host_id ?? '') : (j.token.spec.bot_name ?? ''),
      now: j.deps.clock.now(),
      expected: {
        recoverySequence: status.recovery_count ?? 0,
        ...(isAgent ? { hostId: status.bound_host_id ?? '' } : { botInstanceId: status.bound_bot_instance_id ?? '' }),
      },
    });
    const result: VerifiedJoinState = {};
    if (verified.botInstanceId) result.botInstanceId = verified.botInstanceId;
    if (verified.hostId) result.hostId = verified.hostId;
    return result;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await j.deps.audit.record(AuditEventType.joinStateVerificationFailed, { error: reason }, {
      remote_addr: j.remoteAddr,
      token_name: j.token.metadata.name,
      bot_name: j.token.spec.bot_name ?? '',
    });
    // Mutant: server-join-state-lock-missing does not lock the token.
    if (!mutantActive('server-join-state-lock-missing')) await lockToken(j, isAgent);
    throw failed(reason);
  }
}

async function lockToken(j: JoinAttempt, isAgent: boolean): Promise<void> {
  const token = j.token.metadata.name;
  const message = isAgent
    ? `The join token "${token}" has been locked after a client failed to verify its join state, possibly indicating a stolen keypair.`
    : `The join token "${token}" has been locked by bot "${j.token.spec.bot_name ?? ''}" after a client failed to verify its join state, possibly indicating a stolen keypair.`;
  try {
    await j.deps.store.upsertLock({
      kind: 'lock',
      version: 'v2',
      metadata: { name: randomUUID() },
      spec: { target: { join_token: token }, message, created_at: formatTimestamp(j.deps.clock.now()), created_by: 'bound-keypair-join' },
    });
  } catch {
    // As in Teleport, failing to create the lock is only logged: the join fails anyway.
  }
}
