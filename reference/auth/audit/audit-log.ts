// Records audit events with their code and the server's time. Recording never
// fails a join: like Teleport, a failed emit is logged and the join goes on.
import type { ClusterStore } from '../store/store.js';
import type { Clock } from '../clock/clock.js';
import { formatTimestamp } from '../clock/clock.js';
import type { AuditEvent, AuditEventTypeName } from './audit-event.js';
import { AuditEventCode } from './audit-event.js';

export type AuditFields = Omit<AuditEvent, 'event' | 'code' | 'time' | 'index' | 'success' | 'error'>;

export class AuditLog {
  constructor(
    private readonly store: ClusterStore,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async record(event: AuditEventTypeName, outcome: { error?: unknown }, fields: AuditFields): Promise<void> {
    const entry: AuditEvent = {
      event,
      code: AuditEventCode[event],
      time: formatTimestamp(this.clock.now()),
      success: outcome.error === undefined,
      ...fields,
    };
    if (outcome.error !== undefined) {
      entry.error = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    }
    try {
      await this.store.appendAuditEvent(entry);
    } catch (err) {
      this.onError(err);
    }
  }
}
