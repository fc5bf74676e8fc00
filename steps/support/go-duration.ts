// Go duration strings (`30s`, `1h`, `1m30s`, `250ms`): the form tbot's flags
// take, so the bot contract uses it for every duration it passes or reads.
// Steps may not import the reference server's own parser (reference/auth),
// and this is small enough to keep here.

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds of a Go duration string; an error names the text when it is not one. Negative durations are refused. */
export function parseGoDuration(text: string, what = 'duration'): number {
  if (text === '0') return 0;
  if (text.length === 0 || text.length > 64) throw new Error(`${what}: "${text.slice(0, 64)}" is not a Go duration (e.g. 30s, 1m30s, 250ms)`);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) throw new Error(`${what}: "${text}" is not a Go duration (e.g. 30s, 1m30s, 250ms)`);
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  }
  if (!Number.isFinite(total)) throw new Error(`${what}: "${text}" is out of range`);
  return total;
}

/** The shortest exact Go duration for whole milliseconds: 3_600_000 → `1h`, 90_000 → `90s`, 1500 → `1500ms`. */
export function formatGoDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`duration ${ms} ms: only non-negative whole milliseconds can be passed to a bot`);
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
