// The lock targets a join is checked against: always its token; for a caller
// presenting a bot identity also that bot instance and the bot's user, so
// that locking an instance or a bot stops its renewals.
import type { LockTarget } from '../../locks/lock.js';
import type { JoinAttempt } from '../join-context.js';
import { mutantActive } from '../../../mutants/switch.js';

export function identityLockTargets(j: JoinAttempt): LockTarget[] {
  const targets: LockTarget[] = [{ join_token: j.token.metadata.name }];
  if (j.auth.joinToken && j.auth.joinToken !== j.token.metadata.name) targets.push({ join_token: j.auth.joinToken });
  // Mutant: server-bot-instance-lock-ignored leaves the bot instance out.
  if (j.auth.botInstanceId && !mutantActive('server-bot-instance-lock-ignored')) targets.push({ bot_instance_id: j.auth.botInstanceId });
  if (j.auth.botName) targets.push({ user: `bot-${j.auth.botName}` });
  return targets;
}
