// One join attempt from the first message to the result (§2.2): the generic
// steps, then the join method's handler. Every failed attempt is audited as
// a failed bot.join / instance.join, like Teleport's handleJoinFailure.
import { notImplemented } from '../../protocol/errors.js';
import { AuditEventType } from '../audit/audit-event.js';
import { BOUND_KEYPAIR } from '../tokens/token.js';
import type { JoinDeps, JoinAttempt } from './join-context.js';
import type { JoinStream } from './join-stream.js';
import { receive, sanitise } from './receive.js';
import { authenticate } from './authenticate.js';
import { validateClientInit, lookupToken, checkJoinMethod, checkRoleAllowed } from './join-checks.js';
import { handleBoundKeypairJoin } from './bound-keypair/handler.js';

export async function serveJoin(stream: JoinStream, deps: JoinDeps): Promise<void> {
  const remoteAddr = stream.peer.address;
  const facts: JoinFacts = {};
  try {
    const clientInit = (await receive(stream, 'client_init')).client_init ?? {};
    facts.role = sanitise(clientInit.system_role ?? '');
    const { tokenName, role } = validateClientInit(clientInit);
    const auth = authenticate(stream.peer, clientInit, deps);
    const token = await lookupToken(deps.store, tokenName, deps.clock.now());
    facts.token = token.metadata.name;
    if (token.spec.bot_name) facts.bot = token.spec.bot_name;
    const method = checkJoinMethod(token, clientInit.join_method);
    facts.method = method;
    checkRoleAllowed(token, role);

    await stream.send({ init: { join_method: method, signature_algorithm_suite: deps.suite() } });
    if (method !== BOUND_KEYPAIR) throw notImplemented(`the reference auth server implements only the bound_keypair join method, not ${method}`);

    const attempt: JoinAttempt = { stream, deps, clientInit, token, role, auth, remoteAddr };
    const result = await handleBoundKeypairJoin(attempt);
    await stream.send(result);
    await joinEvent(deps, { ...facts, ...attempt.joinAttributes }, remoteAddr);
  } catch (err) {
    await joinEvent(deps, facts, remoteAddr, err);
    throw err;
  }
}

interface JoinFacts {
  token?: string;
  role?: string;
  bot?: string;
  method?: string;
  public_key?: string;
  recovery_count?: number;
  recovery_mode?: string;
}

/** Teleport records bot.join for role Bot and instance.join for everything else, unknown roles included. */
async function joinEvent(deps: JoinDeps, facts: JoinFacts, remoteAddr: string, error?: unknown): Promise<void> {
  const type = facts.role === 'Bot' ? AuditEventType.botJoin : AuditEventType.instanceJoin;
  await deps.audit.record(type, error === undefined ? {} : { error }, {
    remote_addr: remoteAddr,
    ...(facts.token ? { token_name: facts.token } : {}),
    ...(facts.bot ? { bot_name: facts.bot } : {}),
    ...(facts.method ? { join_method: facts.method } : {}),
    ...(facts.role ? { role: facts.role } : {}),
    ...(facts.public_key !== undefined ? { public_key: facts.public_key, recovery_count: facts.recovery_count ?? 0, recovery_mode: facts.recovery_mode ?? '' } : {}),
  });
}
