// A record of each join attempt as the server saw it: which messages crossed
// the stream, in order, with their decoded and redacted fields, how it ended
// and which scripted faults fired. Kept in memory for the last few hundred
// attempts and offered through the control API in two views: join attempts
// (message types and outcome; scenarios count challenges and rotation
// requests from the server's side) and transcripts (everything; the suite
// checks what a bot under test sent, and reports show what happened on the
// wire).
//
// The recorder sits next to the transport: a client message is recorded as
// soon as it is received, a server message only once it has been handed to
// the transport, so a scripted fault that stops a message from being sent
// leaves it out of the transcript.
import { randomUUID } from 'node:crypto';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import { describeRequest, describeResponse } from '../../protocol/messages.js';
import { TraceError, grpcCodeName } from '../../protocol/errors.js';
import type { Clock } from '../clock/clock.js';
import { formatTimestamp } from '../clock/clock.js';
import type { JoinStream } from './join-stream.js';
import { streamStatusOf } from './stream-status.js';
import type { Transcript } from '../transcripts/transcript.js';
import { presentedCertificate } from '../transcripts/transcript.js';
import { requestFields } from '../transcripts/request-fields.js';
import { responseFields } from '../transcripts/response-fields.js';
import { text } from '../transcripts/bounded.js';

export interface JoinAttemptRecord {
  id: string;
  token_name?: string;
  system_role?: string;
  peer: string;
  started_at: string;
  ended_at?: string;
  outcome?: { ok: boolean; kind?: string; message?: string };
  messages: { from: 'client' | 'server'; type: string }[];
}

/** What the code serving one stream may add to its record. */
export interface AttemptNotes {
  /** A scripted fault fired on this stream. */
  faultFired(faultId: string): void;
}

export interface TranscriptFilter {
  token?: string;
  /** Only transcripts with a larger id. */
  after?: number;
  limit: number;
}

/** Join attempts kept (with their transcripts); exported so the soak knows when the record is full. */
export const JOIN_ATTEMPTS_KEPT = 500;
/** Far more than any honest stream sends; a client that keeps talking is cut off anyway. */
const MAX_MESSAGES = 64;

interface Entry {
  attempt: JoinAttemptRecord;
  transcript: Transcript;
}

export class JoinAttempts {
  private entries: Entry[] = [];
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  /** Runs one join with a recording stream around the transport's. */
  async record(stream: JoinStream, serve: (s: JoinStream, notes: AttemptNotes) => Promise<void>): Promise<void> {
    const now = () => formatTimestamp(this.clock.now());
    const started = now();
    const attempt: JoinAttemptRecord = { id: randomUUID(), peer: stream.peer.address, started_at: started, messages: [] };
    const transcript: Transcript = {
      id: this.nextId++,
      peer: stream.peer.address,
      ...presentedCertificate(stream.peer.certificateChain),
      started_at: started,
      messages: [],
      faults: [],
    };
    this.entries.push({ attempt, transcript });
    if (this.entries.length > JOIN_ATTEMPTS_KEPT) this.entries.splice(0, this.entries.length - JOIN_ATTEMPTS_KEPT);

    const note = (direction: 'client' | 'server', type: string, fields: () => Record<string, unknown>) => {
      if (transcript.messages.length >= MAX_MESSAGES) {
        transcript.messages_omitted = (transcript.messages_omitted ?? 0) + 1;
        return;
      }
      attempt.messages.push({ from: direction, type });
      transcript.messages.push({ direction, type, at: now(), fields: fields() });
    };
    // The first ending wins: what the client was told, or the abort that cut the stream.
    const ended = (reason: unknown) => {
      if (transcript.end) return;
      const status = reason === undefined ? { code: 0, details: '' } : streamStatusOf(reason);
      transcript.end = { code: grpcCodeName(status.code), message: status.details };
      transcript.ended_at = now();
    };
    stream.signal.addEventListener('abort', () => ended(stream.signal.reason), { once: true });

    const recording: JoinStream = {
      peer: stream.peer,
      signal: stream.signal,
      recv: async () => {
        const req: JoinRequest = await stream.recv();
        note('client', describeRequest(req), () => requestFields(req));
        if (req.client_init && attempt.token_name === undefined) {
          attempt.token_name = req.client_init.token_name ?? '';
          attempt.system_role = req.client_init.system_role ?? '';
          transcript.token_name = text(attempt.token_name);
        }
        return req;
      },
      send: async (resp: JoinResponse) => {
        await stream.send(resp);
        note('server', describeResponse(resp), () => responseFields(resp));
      },
      ...(stream.abort ? { abort: stream.abort.bind(stream) } : {}),
    };
    const notes: AttemptNotes = { faultFired: (id) => void transcript.faults.push(id) };
    try {
      await serve(recording, notes);
      attempt.outcome = { ok: true };
      ended(undefined);
    } catch (err) {
      attempt.outcome = err instanceof TraceError ? { ok: false, kind: err.kind, message: err.message } : { ok: false, message: err instanceof Error ? err.message : String(err) };
      ended(err);
      throw err;
    } finally {
      attempt.ended_at = now();
    }
  }

  list(filter: { token_name?: string } = {}): JoinAttemptRecord[] {
    return this.entries.filter((e) => filter.token_name === undefined || e.attempt.token_name === filter.token_name).map((e) => structuredClone(e.attempt));
  }

  /** Oldest first: the first `limit` transcripts after `after`. */
  transcripts(filter: TranscriptFilter): Transcript[] {
    const out: Transcript[] = [];
    for (const { transcript } of this.entries) {
      if (out.length >= filter.limit) break;
      if (filter.after !== undefined && transcript.id <= filter.after) continue;
      if (filter.token !== undefined && transcript.token_name !== filter.token) continue;
      out.push(structuredClone(transcript));
    }
    return out;
  }

  clear(): void {
    this.entries = [];
  }
}
