// The properties of one join stream case, whatever the client sent:
// the server answers with a gRPC status whose details name the problem (an
// OK status only after a result), never hangs, logs no unexpected error,
// raises no uncaught exception or unhandled rejection, closes the stream
// (also when the client just went away), and leaves tokens, locks and bot
// instances as they were unless the join succeeded.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { encodeAuthorizedKey, generateKeyPair } from '../../reference/crypto/index.js';
import { grpcCodeName } from '../../reference/protocol/errors.js';
import { INTERNAL_ERROR_DETAILS } from '../../reference/auth/join/stream-status.js';
import { NO_STATUS } from '../../reference/auth/grpc/testing/raw-join-client.js';
import { runJoinCase } from './join-driver.js';
import type { JoinCase } from './join-driver.js';
import { changeKeyText } from './mutations.js';
import type { KeyTextChange } from './mutations.js';
import type { FuzzTarget, TokenFixture } from './fixture.js';
import type { CaseContext } from './case-context.js';
import { describeChanges, isStolenKeypairLock, storeChanges } from './store-diff.js';

const CUSTOM_TOKEN = 'fz-custom';
const customKey = generateKeyPair('ed25519').privateKey;

export async function checkJoinCase(ctx: CaseContext, c: JoinCase & { customKey?: KeyTextChange | null }): Promise<void> {
  const { target } = ctx;
  let override: TokenFixture | undefined;
  if (c.customKey) {
    await target.createToken(CUSTOM_TOKEN, { initial_public_key: changeKeyText(encodeAuthorizedKey(customKey), c.customKey) });
    override = { name: CUSTOM_TOKEN, role: 'Bot', keys: [customKey] };
  }
  try {
    target.takeLog();
    await target.takeAuditEvents();
    const before = await target.snapshot();
    const seen = await runJoinCase(target, c, ctx.driver, override);
    const problems: string[] = [];
    if (seen.stalled) problems.push(`the server hung: ${seen.stalled}`);
    const received = seen.received.includes('result');
    if (seen.status) {
      const { code, details } = seen.status;
      ctx.outcomes.add(ctx.detailedOutcomes ? `${grpcCodeName(code)}: ${details.slice(0, 90)}` : grpcCodeName(code));
      if (code === GrpcStatus.OK && !received) problems.push('the stream ended OK without a result');
      if (code !== GrpcStatus.OK && details.trim() === '') problems.push(`status ${grpcCodeName(code)} without details`);
      if (details === INTERNAL_ERROR_DETAILS) problems.push(`status ${grpcCodeName(code)} "${details}": an unexpected error in the server`);
      if (details.startsWith(NO_STATUS)) problems.push(`the stream ended without a gRPC status: ${details}`);
      if (RUNTIME_ERROR.test(details)) problems.push(`the status details carry a runtime error: ${details}`);
    } else {
      ctx.outcomes.add(`client left (${c.ending})`);
    }
    if (!(await streamsClosed(target, ctx.driver.answerTimeoutMs))) problems.push(`the server still counts ${target.server.openStreams()} open join streams after the client left`);
    if (!(await target.quiescent(ctx.driver.answerTimeoutMs))) problems.push(`a join attempt was still running ${ctx.driver.answerTimeoutMs} ms after its stream ended`);
    const events = await target.takeAuditEvents();
    // The client often learns only "failed to complete challenge"; the audit log has the reason.
    for (const e of events) if (e.error && RUNTIME_ERROR.test(e.error)) problems.push(`an audit event records a runtime error: ${e.error}`);
    // A client that left right after its last answer may not have seen the result: the server
    // committed and then failed to send it (its join event carries only the stream's end).
    const joinEvents = events.filter((e) => e.event === 'bot.join' || e.event === 'instance.join');
    const resultLost = joinEvents.some((e) => !e.success && CLIENT_LEFT.has(e.error ?? ''));
    const joined = received || resultLost || joinEvents.some((e) => e.success);
    if (joined) {
      ctx.outcomes.add(received ? 'joined' : 'joined, the client left before the result');
      await target.reseed();
    } else {
      const changes = storeChanges(before, await target.snapshot());
      const token = override?.name ?? (typeof c.token === 'string' ? c.token : target.tokens[c.token % target.tokens.length]?.name ?? '');
      const locked = seen.status?.details.includes('join state verification failed') ?? false;
      const unexpected = changes.filter((ch) => !(locked && isStolenKeypairLock(ch, token)));
      if (unexpected.length > 0) problems.push(`the store changed although the join failed:\n${describeChanges(unexpected)}`);
      else if (changes.length > 0) {
        ctx.outcomes.add('token locked (join state verification failed)');
        for (const ch of changes) await target.deleteLock(ch.name);
      }
    }
    problems.push(...unexpectedLines(target.takeLog()), ...ctx.guard.take());
    if (problems.length > 0) {
      throw new Error(`${problems.join('\n')}\nstatus: ${seen.status ? `${grpcCodeName(seen.status.code)} ${JSON.stringify(seen.status.details)}` : 'none'}; received: ${seen.received.join(', ') || 'nothing'}`);
    }
  } finally {
    if (c.customKey) await target.deleteToken(CUSTOM_TOKEN).catch(() => {});
  }
}

/**
 * What JavaScript says when code meets input it did not expect: a refusal
 * that carries one of these is a bug caught by a catch-all, not a check.
 */
export const RUNTIME_ERROR = /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|Cannot (read|set) propert|is not a function|is not iterable|is not defined|Invalid (time value|array length|Date)|Maximum call stack|\bundefined\b|\bNaN\b|\[object Object\]/;

/** How the transport describes a client that went away (join/join-stream.ts, grpc-join-server.ts). */
const CLIENT_LEFT = new Set(['the client closed the stream', 'the client cancelled the stream', 'the stream failed', 'the join attempt is over']);

/** Lines the server logs only for errors it did not expect (grpc-join-server's onStreamError, the audit recorder). */
export function unexpectedLines(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('join: unexpected error') || l.startsWith('audit:')).map((l) => `server log: ${l}`);
}

async function streamsClosed(target: FuzzTarget, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (target.server.openStreams() > 0) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}
