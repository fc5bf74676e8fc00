// Go duration strings ("90s", "1m30s", "1.5h", "250ms"): the form Teleport's
// configuration and CLI use, so operators and scenarios can write what they
// are used to. The one parser for the CLI's flags and the control API's
// POST clock/advance.
//
// The grammar is Go's time.ParseDuration (a bare "0", or one or more
// decimal numbers each with a unit; "1.5h", ".5s" and "1.s" are fine) with
// two deliberate restrictions:
//   - no sign: a negative timeout or clock advance is always a mistake;
//   - whole milliseconds only: the clocks here (Date, setTimeout, the virtual
//     clock) have millisecond resolution, so a finer duration could only be
//     rounded silently. The units ns and us (µs) are refused outright, and so
//     is any total that is not a whole number of milliseconds ("1.0005s").
//
// Refusals are RangeErrors whose message describes the problem but does not
// repeat the input: the CLI's option parser already quotes the argument, and
// the control API never echoes request values.

const NS_PER_MS = 1_000_000n;
const UNIT_NS: Record<string, bigint> = { ms: NS_PER_MS, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const SUB_MILLISECOND_UNITS = new Set(['ns', 'us', 'µs', 'μs']); // µ: U+00B5 micro sign; μ: U+03BC Greek mu
/** Go's time.Duration is an int64 count of nanoseconds. */
const MAX_NS = 2n ** 63n - 1n;
/** Fraction digits past this many are ignored, as Go ignores them: they are far below a nanosecond. */
const MAX_FRACTION_DIGITS = 18;

/** The longest Go duration in whole milliseconds, 9_223_372_036_854 (about 292 years). */
export const MAX_GO_DURATION_MS = Number(MAX_NS / NS_PER_MS);

const MALFORMED = 'invalid Go duration: expected non-negative numbers with units ms, s, m or h, e.g. "250ms", "90s", "1m30s" or "25h"';
const NOT_WHOLE_MS = 'must be a whole number of milliseconds (the clock\'s resolution)';
const TOO_LONG = 'invalid Go duration: longer than the largest Go duration (2^63-1 ns, about 292 years)';

/** Parses a Go duration string into milliseconds; throws a RangeError saying what is wrong. */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0; // Go's one unitless form
  if (text === '') throw new RangeError(MALFORMED);
  const component = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let totalNs = 0n;
  for (let pos = 0; pos < text.length; pos = component.lastIndex) {
    component.lastIndex = pos;
    const m = component.exec(text);
    const amount = m?.[1];
    const unit = m?.[2];
    if (amount === undefined || unit === undefined) throw new RangeError(MALFORMED);
    if (SUB_MILLISECOND_UNITS.has(unit)) {
      throw new RangeError(`invalid Go duration: unit "${unit}" is not accepted, as a duration ${NOT_WHOLE_MS}; use ms, s, m or h`);
    }
    totalNs += componentNs(amount, UNIT_NS[unit] ?? 0n);
    if (totalNs > MAX_NS) throw new RangeError(TOO_LONG);
  }
  if (totalNs % NS_PER_MS !== 0n) throw new RangeError(`invalid Go duration: the total ${NOT_WHOLE_MS}`);
  return Number(totalNs / NS_PER_MS);
}

/** One "1.5h" component in nanoseconds; any sub-nanosecond remainder is truncated, as Go does. */
function componentNs(amount: string, unitNs: bigint): bigint {
  const [whole = '', fraction = ''] = amount.split('.');
  const digits = whole.replace(/^0+/, '');
  // More than 19 significant digits overflow int64 nanoseconds for any unit;
  // refusing them here also keeps BigInt from parsing a megabyte of digits.
  if (digits.length > 19) return MAX_NS + 1n;
  const kept = fraction.slice(0, MAX_FRACTION_DIGITS);
  return BigInt(digits || '0') * unitNs + (BigInt(kept || '0') * unitNs) / 10n ** BigInt(kept.length);
}
