// The bound keypair join, one pass (§3): read the token once, pick the
// branch, run the challenge(s), plan the status changes, rotate if due,
// issue credentials, commit everything in one conditional write, then sign
// the new join state from what was committed.
import { accessDenied, badParameter, notImplemented, wrap } from '../../../protocol/errors.js';
import type { BoundKeypairInit, Certificates, JoinResponse } from '../../../protocol/messages.js';
import { issueJoinState, publicKeysEqual, parseAuthorizedKey } from '../../../crypto/index.js';
import { parseRecoveryMode } from '../../tokens/token.js';
import type { BoundKeypairSpec, BoundKeypairStatus, ProvisionToken, RecoveryMode } from '../../tokens/token.js';
import { recordRotation } from './audit-events.js';
import type { JoinAttempt } from '../join-context.js';
import { receive } from '../receive.js';
import type { BranchOutcome } from './branch-outcome.js';
import { onboard } from './onboarding.js';
import { renew } from './renewal.js';
import { recover } from './recovery.js';
import { obtainNewKey } from './ceremony.js';
import { shouldRequestRotation } from './rotation-trigger.js';
import { commitPlan, setBoundPublicKey, setLastRotatedAt, setBoundBotInstance, setBoundHostId } from './mutations.js';
import { certificateLifetime, createBotInstance, issueBotCertificates, parseBotParams } from './credentials.js';
import { hostIdFor, issueHostCertificates, parseHostParams } from './host-credentials.js';
import type { ParsedHostParams } from './host-credentials.js';
import { advanceGeneration } from './generation.js';
import { mutantActive } from '../../../mutants/switch.js';

export async function handleBoundKeypairJoin(j: JoinAttempt): Promise<JoinResponse> {
  const init = (await receive(j.stream, 'bound_keypair_init')).bound_keypair_init ?? {};
  const params = requireClientParams(j, init);

  const spec = j.token.spec.bound_keypair;
  if (!spec) throw badParameter('bound keypair spec is required for bound keypair joining');
  const status: BoundKeypairStatus = j.token.status?.bound_keypair ?? {};
  checkIdentityConsistency(j, status);
  const mode = parseMode(spec);

  const outcome = await runBranch(j, init, spec, status, mode);
  const boundKey = await rotateIfDue(j, spec, status, outcome);

  // Step 6: credentials, before the commit. Only bots and agents are served;
  // other roles learn so only now, after the challenges (as in Teleport).
  const recoveryCount = (status.recovery_count ?? 0) + (outcome.newIdentity ? 1 : 0);
  let certificates: Certificates;
  let hostId = '';
  if (j.role === 'Bot' && params.kind === 'bot') {
    // A refused expiry must not leave a bot instance record or an advanced generation behind.
    certificateLifetime(j, params.bot.expires);
    const identity = outcome.newIdentity
      ? await createBotInstance(j, boundKey, recoveryCount, outcome.previousInstanceId)
      : await advanceGeneration(j, boundKey, recoveryCount);
    certificates = await issueBotCertificates(j, params.bot.keys, params.bot.expires, identity);
    if (outcome.newIdentity) outcome.plan.push(setBoundBotInstance(status.bound_bot_instance_id ?? '', identity.instanceId));
  } else if (j.role === 'Instance' && params.kind === 'host') {
    hostId = hostIdFor(j, outcome.newIdentity);
    certificates = await issueHostCertificates(j, params.host, hostId);
    if (outcome.newIdentity) outcome.plan.push(setBoundHostId(status.bound_host_id ?? '', hostId));
  } else {
    throw notImplemented(`bound keypair joining only supports Instance and Bot system roles, client requested ${j.role}`);
  }

  const committed = outcome.plan.length > 0 ? await commitPlan(j.deps.store, j.token.metadata.name, outcome.plan) : j.token;
  j.joinAttributes = { public_key: boundKey, recovery_count: committed.status?.bound_keypair?.recovery_count ?? 0, recovery_mode: spec.recovery?.mode ?? '' };
  const boundKeypairResult = { join_state: Buffer.from(signJoinState(j, committed)), public_key: Buffer.from(boundKey) };
  if (j.role === 'Instance') {
    return { result: { host_result: { certificates, host_id: hostId, bound_keypair_result: boundKeypairResult } } };
  }
  return { result: { bot_result: { certificates, bound_keypair_result: boundKeypairResult } } };
}

type ClientParamsOf = { kind: 'bot'; bot: ReturnType<typeof parseBotParams> } | { kind: 'host'; host: ParsedHostParams };

/** Bots send BotParams and agents HostParams; any role's keys are checked before the ceremony. */
function requireClientParams(j: JoinAttempt, init: BoundKeypairInit): ClientParamsOf {
  const params = init.client_params;
  if (!params?.payload) throw badParameter('unrecognized ClientParams payload type <nil>');
  if (j.role === 'Bot' && params.payload !== 'bot_params') throw badParameter('a bot must send BotParams in BoundKeypairInit.client_params');
  if (j.role === 'Instance' && params.payload !== 'host_params') throw badParameter('an agent must send HostParams in BoundKeypairInit.client_params');
  return params.payload === 'bot_params' ? { kind: 'bot', bot: parseBotParams(params.bot_params) } : { kind: 'host', host: parseHostParams(params.host_params) };
}

/** Step 1 of §3: identities must not cross between bots and agents. */
function checkIdentityConsistency(j: JoinAttempt, status: BoundKeypairStatus): void {
  const inBot = j.auth.botInstanceId ?? '';
  const inHost = j.auth.hostId ?? '';
  if (inBot && inHost) throw accessDenied('cannot join with invalid identity');
  const boundBot = status.bound_bot_instance_id ?? '';
  const boundHost = status.bound_host_id ?? '';
  if (
    (j.role === 'Bot' && (inHost || boundHost)) ||
    (j.role === 'Instance' && (inBot || boundBot)) ||
    (inBot && boundHost) ||
    (inHost && boundBot)
  ) {
    throw accessDenied('cannot join with mismatched unique identifier');
  }
}

function parseMode(spec: BoundKeypairSpec): RecoveryMode {
  const mode = parseRecoveryMode(spec.recovery?.mode);
  if (!mode) throw wrap(badParameter(`invalid recovery mode: ${spec.recovery?.mode}`), 'parsing recovery mode');
  return mode;
}

async function runBranch(j: JoinAttempt, init: BoundKeypairInit, spec: BoundKeypairSpec, status: BoundKeypairStatus, mode: RecoveryMode): Promise<BranchOutcome> {
  const hasBoundKey = (status.bound_public_key ?? '') !== '';
  const hasBoundId = (status.bound_bot_instance_id ?? '') !== '' || (status.bound_host_id ?? '') !== '';
  const hasIncomingId = (j.auth.botInstanceId ?? '') !== '' || (j.auth.hostId ?? '') !== '';

  if (!hasBoundKey && !hasIncomingId) return onboard(j, init, spec, status, mode);
  if (!hasBoundKey && hasIncomingId) throw badParameter('cannot perform first bound keypair join with existing credentials');
  if (hasBoundKey && !hasBoundId) throw badParameter('bad backend state, please recreate the join token');
  if (hasIncomingId) return renew(j, init, status, mode);
  return recover(j, init, spec, status, mode);
}

/** Step 5 of §3: rotation inside the ceremony, decided on the status read at the start. */
async function rotateIfDue(j: JoinAttempt, spec: BoundKeypairSpec, status: BoundKeypairStatus, outcome: BranchOutcome): Promise<string> {
  const now = j.deps.clock.now();
  if (!shouldRequestRotation(spec.rotate_after, status.last_rotated_at, now)) return outcome.boundKey;
  const previous = outcome.boundKey;
  let next;
  try {
    next = await obtainNewKey(j);
    // Mutant: server-same-key-rotation-accepted skips the reuse check.
    if (!mutantActive('server-same-key-rotation-accepted') && publicKeysEqual(next.key, parseAuthorizedKey(previous))) {
      throw badParameter('public key may not be reused after rotation');
    }
  } catch (err) {
    await recordRotation(j, previous, next?.text ?? '', err);
    throw err;
  }
  outcome.plan.push(setBoundPublicKey(previous, next.text), setLastRotatedAt(status.last_rotated_at, now));
  await recordRotation(j, previous, next.text);
  return next.text;
}

function signJoinState(j: JoinAttempt, token: ProvisionToken): string {
  const status = token.status?.bound_keypair ?? {};
  const spec = token.spec.bound_keypair ?? {};
  try {
    return issueJoinState({
      signer: j.deps.authorities.boundKeypair.active,
      clusterName: j.deps.authorities.clusterName,
      // Agents' join states name their host; bots' name the bot.
      subject: j.role === 'Instance' ? (status.bound_host_id ?? '') : (token.spec.bot_name ?? ''),
      ...(status.bound_bot_instance_id ? { botInstanceId: status.bound_bot_instance_id } : {}),
      ...(status.bound_host_id ? { hostId: status.bound_host_id } : {}),
      recoverySequence: status.recovery_count ?? 0,
      recoveryLimit: spec.recovery?.limit ?? 0,
      recoveryMode: spec.recovery?.mode ?? '',
      now: j.deps.clock.now(),
    });
  } catch (err) {
    throw wrap(err, 'issuing join state document');
  }
}
