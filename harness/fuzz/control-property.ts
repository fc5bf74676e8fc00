// The property of one malformed control API request: a 4xx answer (the one
// the case expects, when it knows), with the JSON error shape of every other
// error and, for a bad field, the field named; and nothing changed — not the
// tokens, locks or bot instances, not the settings, the clock or the CA keys.
import { request } from 'node:http';
import { Agent } from 'node:http';
import { control } from '../../reference/auth/testing/control.js';
import { toRequest } from './control-requests.js';
import type { ControlCase, ControlRequest } from './control-requests.js';
import { unexpectedLines } from './join-property.js';
import type { CaseContext } from './case-context.js';
import type { FuzzTarget } from './fixture.js';
import { describeChanges, storeChanges } from './store-diff.js';
import type { StoreSnapshot } from './store-diff.js';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export async function checkControlCase(ctx: CaseContext, c: ControlCase): Promise<void> {
  const { target } = ctx;
  const req = toRequest(c, target.server.controlCredential);
  const before = await stateOf(target);
  target.takeLog();
  const answer = await send(target.server.controlUrl, req);
  ctx.outcomes.add(String(answer.status));
  const problems = judge(req, answer);
  const after = await stateOf(target);
  const changes = storeChanges(before.store, after.store);
  if (changes.length > 0) problems.push(`the store changed:\n${describeChanges(changes)}`);
  if (after.server !== before.server) problems.push(`settings, clock or CA keys changed:\nbefore ${before.server}\nafter  ${after.server}`);
  problems.push(...unexpectedLines(target.takeLog()), ...ctx.guard.take());
  if (problems.length > 0) {
    throw new Error(`${problems.join('\n')}\nrequest: ${req.method} ${req.path} ${JSON.stringify(req.headers)} body ${describeBody(req.body)}\nanswer: ${answer.status} ${answer.text.slice(0, 500)}`);
  }
}

function judge(req: ControlRequest, answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status < 400 || answer.status > 499) problems.push(`answered ${answer.status}, not a 4xx`);
  if (req.expect.status !== undefined && answer.status !== req.expect.status) problems.push(`answered ${answer.status}, expected ${req.expect.status}`);
  if (!answer.contentType.startsWith('application/json')) {
    problems.push(`the error is not JSON (${answer.contentType || 'no content type'})`);
    return problems;
  }
  let error: { kind?: unknown; message?: unknown; field?: unknown } | undefined;
  try {
    error = (JSON.parse(answer.text) as { error?: typeof error }).error;
  } catch {
    problems.push('the error body is not valid JSON');
  }
  if (typeof error?.kind !== 'string' || typeof error.message !== 'string' || error.message === '') {
    problems.push('the body is not {"error": {"kind", "message"}}');
  } else if (req.expect.field !== undefined) {
    const leaf = leafOf(req.expect.field);
    const named = `${typeof error.field === 'string' ? error.field : ''} ${error.message}`;
    if (!named.includes(leaf)) problems.push(`the error does not name the field ${req.expect.field}`);
  }
  return problems;
}

/** "spec.roles[0]" → "roles": the part of a field path every message about it contains. */
function leafOf(field: string): string {
  return field.replace(/\[\d+\]$/, '').split('.').pop() ?? field;
}

async function stateOf(target: FuzzTarget): Promise<{ store: StoreSnapshot; server: string }> {
  const [settings, clock, cluster] = await Promise.all(['settings', 'clock', 'cluster'].map((r) => control(target.server, 'GET', r)));
  return {
    store: await target.snapshot(),
    server: `settings ${JSON.stringify(settings?.body)} clock ${JSON.stringify(clock?.body)} ca ${JSON.stringify(cluster?.body?.bound_keypair_ca_keys)}`,
  };
}

function send(baseUrl: string, req: ControlRequest): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = request({
      host: url.hostname, port: url.port, method: req.method, path: `${url.pathname}${req.path}`, agent,
      headers: { ...req.headers, 'content-length': String(req.body.length) },
    });
    let answered = false;
    r.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text }));
      res.on('error', reject);
    });
    // A server that refuses a huge body closes the connection while it is still being sent.
    r.on('error', (err) => {
      if (!answered) reject(err);
    });
    r.setTimeout(15_000, () => r.destroy(new Error('no answer within 15 s')));
    r.end(req.body);
  });
}

function describeBody(body: Buffer): string {
  return body.length > 300 ? `(${body.length} bytes) ${JSON.stringify(body.subarray(0, 100).toString())}…` : JSON.stringify(body.toString());
}
