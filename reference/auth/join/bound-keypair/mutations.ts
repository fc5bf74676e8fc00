// Planned status changes and the single conditional commit of §9. A join
// reads the token once, decides, and plans; nothing is written until the
// end. At commit every mutation first checks that its field still holds the
// value the join started from — on the freshly read token — and only then
// applies. A concurrent join that got there first makes the check fail, and
// the loser gets "committing updated token state, please try again".
import type { ProvisionToken, BoundKeypairStatus } from '../../tokens/token.js';
import type { ClusterStore } from '../../store/store.js';
import { accessDenied, badParameter, isTraceError, wrap, TraceError } from '../../../protocol/errors.js';
import { formatTimestamp } from '../../clock/clock.js';
import { mutantActive } from '../../../mutants/switch.js';

export interface StatusMutation {
  readonly field: keyof BoundKeypairStatus;
  /** Throws when the stored token no longer matches what the join read. */
  validate(token: ProvisionToken, status: BoundKeypairStatus): void;
  apply(token: ProvisionToken, status: BoundKeypairStatus): void;
}

const unexpected = (field: string) => accessDenied(`unexpected backend state (${field})`);

export function consumeRecovery(expectedCount: number, expectedLimit: number, at: Date): StatusMutation {
  return {
    field: 'recovery_count',
    validate(token, status) {
      const recovery = token.spec.bound_keypair?.recovery;
      // Raising the limit concurrently is fine; lowering it below what the
      // join checked against is not.
      if ((status.recovery_count ?? 0) !== expectedCount || !recovery || (recovery.limit ?? 0) < expectedLimit) {
        throw unexpected('recovery_count');
      }
    },
    apply(_token, status) {
      status.recovery_count = expectedCount + 1;
      status.last_recovered_at = formatTimestamp(at);
    },
  };
}

export function setBoundPublicKey(expected: string, next: string): StatusMutation {
  return {
    field: 'bound_public_key',
    validate(_token, status) {
      if ((status.bound_public_key ?? '') !== expected) throw unexpected('bound_public_key');
    },
    apply(_token, status) {
      status.bound_public_key = next;
    },
  };
}

export function setBoundBotInstance(expected: string, next: string): StatusMutation {
  return {
    field: 'bound_bot_instance_id',
    validate(_token, status) {
      if ((status.bound_bot_instance_id ?? '') !== expected || (status.bound_host_id ?? '') !== '') {
        throw unexpected('bound_bot_instance_id');
      }
    },
    apply(_token, status) {
      status.bound_bot_instance_id = next;
    },
  };
}

export function setBoundHostId(expected: string, next: string): StatusMutation {
  return {
    field: 'bound_host_id',
    validate(_token, status) {
      if ((status.bound_host_id ?? '') !== expected || (status.bound_bot_instance_id ?? '') !== '') {
        throw unexpected('bound_host_id');
      }
    },
    apply(_token, status) {
      status.bound_host_id = next;
    },
  };
}

export function setLastRotatedAt(expected: string | undefined, at: Date): StatusMutation {
  return {
    field: 'last_rotated_at',
    validate(_token, status) {
      // Unset and set count as different, as in Teleport.
      const current = status.last_rotated_at || undefined;
      const want = expected || undefined;
      if (current === undefined || want === undefined ? current !== want : new Date(current).getTime() !== new Date(want).getTime()) {
        throw unexpected('last_rotated_at');
      }
    },
    apply(_token, status) {
      status.last_rotated_at = formatTimestamp(at);
    },
  };
}

export function clearRegistrationSecret(expected: string): StatusMutation {
  return {
    field: 'registration_secret',
    validate(_token, status) {
      if ((status.registration_secret ?? '') !== expected) throw unexpected('registration_secret');
    },
    apply(_token, status) {
      status.registration_secret = '';
    },
  };
}

const MAX_COMMIT_ATTEMPTS = 5;

/**
 * Applies the plan to the latest stored token with one conditional write.
 * A revision conflict re-reads and re-validates; a failed validation is
 * final. Returns the committed token.
 */
export async function commitPlan(store: ClusterStore, tokenName: string, plan: StatusMutation[]): Promise<ProvisionToken> {
  try {
    for (let attempt = 1; ; attempt++) {
      const token = await store.getToken(tokenName);
      if (!token) throw accessDenied('token expired or not found');
      const status = token.status?.bound_keypair;
      if (!status) throw badParameter('bound keypair tokens must have non-nil status.bound_keypair');
      for (const mutation of plan) {
        try {
          // Mutant: server-commit-without-revision-check applies the plan unchecked.
          if (!mutantActive('server-commit-without-revision-check')) mutation.validate(token, status);
        } catch (err) {
          throw wrap(err, 'applying status mutator');
        }
        mutation.apply(token, status);
      }
      try {
        return await store.updateToken(token, token.metadata.revision ?? '');
      } catch (err) {
        if (isTraceError(err, 'CompareFailed') && attempt < MAX_COMMIT_ATTEMPTS) continue;
        throw err;
      }
    }
  } catch (err) {
    throw wrap(err instanceof TraceError ? err : wrap(err, 'writing token'), 'committing updated token state, please try again');
  }
}
