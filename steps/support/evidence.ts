// Evidence for every scenario, attached to it as one JSON document
// (media type application/vnd.bkp.evidence+json): the join streams the suite
// opened, message by message, decoded; for a scenario that drives a bot, the
// server's transcripts of the streams the bot opened; and the control API
// calls (requests always; responses when the scenario failed: a passing run
// of the whole suite would otherwise carry tens of megabytes of token lists).
// All of it redacted (redaction.ts). The reports
// (harness/report/) show it beside the scenario, so a failure comes with
// what was on the wire.
import { After, Before, Status } from '@cucumber/cucumber';
import type { BkpWorld } from './world.js';
import { redact } from './redaction.js';
import { takeScenarioStreams } from './scenario-streams.js';
import { connectTarget } from './target.js';
import { EVIDENCE_MEDIA_TYPE } from '../../harness/report/evidence-media-type.js';

/** One scenario's evidence stays readable and the message stream small: beyond this, bodies are dropped. */
const MAX_EVIDENCE_BYTES = 128 * 1024;
const TRANSCRIPTS_PER_SCENARIO = 20;

Before(function () {
  takeScenarioStreams();
});

After(async function (this: BkpWorld, { pickle, result }) {
  const joinStreams = takeScenarioStreams().map((s, i) => ({
    stream: i + 1,
    messages: s.wire.map((w) => ({ direction: w.direction === 'client' ? 'client → server' : 'server → client', type: w.type, message: redact(w.message) })),
    ended: s.endedWith ?? 'still open at the end of the scenario',
  }));
  const calls = [...(this.control?.calls ?? [])];
  const evidence: Record<string, unknown> = { scenario: pickle.name, joinStreams };
  if (pickle.tags.some((t) => t.name === '@client')) evidence.serverTranscripts = await botTranscripts(this);
  const failed = result?.status === Status.FAILED;
  evidence.controlCalls = calls.map((c) => ({
    call: `${c.method} ${c.path}`,
    status: c.status,
    ...(c.requestBody !== undefined ? { request: redact(c.requestBody) } : {}),
    ...(failed && c.responseBody !== undefined ? { response: redact(c.responseBody) } : {}),
  }));
  let text = JSON.stringify(evidence, null, 1);
  if (text.length > MAX_EVIDENCE_BYTES) {
    evidence.controlCalls = calls.map((c) => ({ call: `${c.method} ${c.path}`, status: c.status, note: 'bodies dropped: evidence over 128 KiB' }));
    text = JSON.stringify(evidence, null, 1);
  }
  this.attach(text, { mediaType: EVIDENCE_MEDIA_TYPE, fileName: 'evidence.json' });
});

/** What the bot under test sent and received, as the server recorded it (targets declaring transcripts). */
async function botTranscripts(world: BkpWorld): Promise<unknown> {
  if (!world.control) return 'no control API connection';
  try {
    const target = await connectTarget();
    if (!target.features.has('transcripts')) return 'the target does not declare transcripts';
    return redact(await world.control.listTranscripts({ limit: TRANSCRIPTS_PER_SCENARIO }));
  } catch (e) {
    return `could not read transcripts: ${(e as Error).message}`;
  }
}
