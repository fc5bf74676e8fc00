// A record of each join attempt as the server saw it: which messages crossed
// the stream, in order, and how it ended. Kept in memory for the last few
// hundred attempts and offered through the control API, so scenarios can
// count challenges and rotation requests from the server's side, and reports
// can show what happened on the wire.
import { randomUUID } from 'node:crypto';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import { describeRequest, describeResponse } from '../../protocol/messages.js';
import { TraceError } from '../../protocol/errors.js';
import type { Clock } from '../clock/clock.js';
import { formatTimestamp } from '../clock/clock.js';
import type { JoinStream } from './join-stream.js';

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

const KEEP = 500;

export class JoinAttempts {
  private records: JoinAttemptRecord[] = [];

  constructor(private readonly clock: Clock) {}

  /** Runs one join with a recording stream around the transport's. */
  async record(stream: JoinStream, serve: (s: JoinStream) => Promise<void>): Promise<void> {
    const record: JoinAttemptRecord = { id: randomUUID(), peer: stream.peer.address, started_at: formatTimestamp(this.clock.now()), messages: [] };
    this.records.push(record);
    if (this.records.length > KEEP) this.records.splice(0, this.records.length - KEEP);
    const recording: JoinStream = {
      peer: stream.peer,
      signal: stream.signal,
      recv: async () => {
        const req: JoinRequest = await stream.recv();
        record.messages.push({ from: 'client', type: describeRequest(req) });
        if (req.client_init && record.token_name === undefined) {
          record.token_name = req.client_init.token_name ?? '';
          record.system_role = req.client_init.system_role ?? '';
        }
        return req;
      },
      send: async (resp: JoinResponse) => {
        await stream.send(resp);
        record.messages.push({ from: 'server', type: describeResponse(resp) });
      },
    };
    try {
      await serve(recording);
      record.outcome = { ok: true };
    } catch (err) {
      record.outcome = err instanceof TraceError ? { ok: false, kind: err.kind, message: err.message } : { ok: false, message: err instanceof Error ? err.message : String(err) };
      throw err;
    } finally {
      record.ended_at = formatTimestamp(this.clock.now());
    }
  }

  list(filter: { token_name?: string } = {}): JoinAttemptRecord[] {
    return this.records.filter((r) => filter.token_name === undefined || r.token_name === filter.token_name).map((r) => structuredClone(r));
  }

  clear(): void {
    this.records = [];
  }
}
