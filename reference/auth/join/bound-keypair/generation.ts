// §8: the generation counter. Every renewal presents the generation written
// in its certificate; it must equal the stored one, which then advances. Two
// holders of the same certificate cannot both keep renewing: the second
// presents a stale generation, and the token is locked.
import { randomUUID } from 'node:crypto';
import { accessDenied, badParameter, isTraceError } from '../../../protocol/errors.js';
import { formatTimestamp } from '../../clock/clock.js';
import { AuditEventType } from '../../audit/audit-event.js';
import { currentGeneration, MAX_LATEST_AUTHENTICATIONS } from '../../bot-instances/bot-instance.js';
import type { JoinAttempt } from '../join-context.js';
import type { BotIdentityPlan } from './credentials.js';
import { mutantActive } from '../../../mutants/switch.js';

export async function advanceGeneration(j: JoinAttempt, publicKey: string, recoveryCount: number): Promise<BotIdentityPlan> {
  const id = j.auth.botInstanceId;
  const presented = j.auth.generation ?? 0;
  const bot = j.token.spec.bot_name ?? '';
  if (!id) throw accessDenied('bot identity is missing a bot instance ID');
  if (!(presented > 0)) throw badParameter('a current identity generation must be provided');

  for (let attempt = 0; attempt < 5; attempt++) {
    const instance = await j.deps.store.getBotInstance(id);
    if (!instance) {
      await mismatch(j, `cert generation mismatch for bot ${bot}/${id}: instance not found, presented=${presented}`);
    }
    const stored = currentGeneration(instance!);
    // Mutant: server-generation-not-checked accepts any presented generation.
    if (stored !== presented && !mutantActive('server-generation-not-checked')) {
      await mismatch(j, `cert generation mismatch for bot ${bot}/${id}: stored=${stored}, presented=${presented}`);
    }
    const next = stored + 1;
    instance!.status.latest_authentications.push({
      auth_time: formatTimestamp(j.deps.clock.now()),
      join_method: 'bound_keypair',
      join_token: j.token.metadata.name,
      generation: next,
      public_key: publicKey,
      recovery_count: recoveryCount,
    });
    instance!.status.latest_authentications = instance!.status.latest_authentications.slice(-MAX_LATEST_AUTHENTICATIONS);
    try {
      await j.deps.store.updateBotInstance(instance!, instance!.metadata.revision ?? '');
      return { instanceId: id, generation: next };
    } catch (err) {
      // A concurrent renewal advanced it first: re-read, and the stale
      // generation is then caught as a mismatch.
      if (isTraceError(err, 'CompareFailed')) continue;
      throw err;
    }
  }
  throw accessDenied(`cert generation mismatch for bot ${bot}/${id}: concurrent renewals`);
}

async function mismatch(j: JoinAttempt, message: string): Promise<never> {
  const bot = j.token.spec.bot_name ?? '';
  const token = j.token.metadata.name;
  await j.deps.audit.record(AuditEventType.generationMismatch, { error: message }, {
    remote_addr: j.remoteAddr,
    token_name: token,
    bot_name: bot,
    ...(j.auth.botInstanceId ? { bot_instance_id: j.auth.botInstanceId } : {}),
  });
  try {
    await j.deps.store.upsertLock({
      kind: 'lock',
      version: 'v2',
      metadata: { name: randomUUID() },
      spec: {
        target: { join_token: token },
        message: `Bot joins via the token "${token}" have been locked due to a certificate generation mismatch by ${bot}/${j.auth.botInstanceId ?? ''}, possibly indicating a stolen certificate.`,
        created_at: formatTimestamp(j.deps.clock.now()),
        created_by: 'bound-keypair-join',
      },
    });
  } catch {
    // Logged only in Teleport; the join fails either way.
  }
  throw accessDenied(message);
}
