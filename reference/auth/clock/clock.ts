// The clock seam. Everything time-dependent in the reference implementations
// (challenge windows, registration deadlines, certificate validity, token
// expiry) reads time from a Clock, so scenarios can move time with a virtual
// clock instead of sleeping.

export interface Clock {
  now(): Date;
  readonly kind: 'real' | 'virtual';
}

export class SystemClock implements Clock {
  readonly kind = 'real' as const;
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that only moves when told to. It starts at a whole second so that
 * JSON NumericDate claims (whole seconds) equal the clock exactly.
 */
export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = Math.floor(start.getTime() / 1000) * 1000;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('a virtual clock only moves forward: advance by a non-negative duration');
    this.current += ms;
    return this.now();
  }

  set(to: Date): Date {
    if (Number.isNaN(to.getTime())) throw new RangeError('cannot set the clock to an invalid time');
    this.current = to.getTime();
    return this.now();
  }
}

/** Time formatted as Go formats time.Time in JSON: RFC 3339, fraction only when non-zero. */
export function formatTimestamp(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

/** Parses an RFC 3339 timestamp; undefined for an empty or absent value. */
export function parseTimestamp(value: string | undefined | null): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!RFC3339.test(value)) return new Date(NaN);
  return new Date(value);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function isValidTimestamp(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(new Date(value).getTime());
}

/** Go's time.Duration String() form ("1m0s", "1.5s", "250ms"), used in Teleport's messages. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = +(totalSeconds % 60).toFixed(3);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** Go's zero time.Time (0001-01-01T00:00:00Z): Teleport's "unset" for timestamps. */
export function isGoZeroTime(d: Date): boolean {
  return d.getUTCFullYear() === 1 && d.getUTCMonth() === 0 && d.getUTCDate() === 1 && d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
}
