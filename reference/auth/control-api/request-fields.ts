// Checks of individual request values the control API itself interprets
// (clock advances, settings, query filters), before the plane is called.
import { badField, badParameter } from '../../protocol/errors.js';
import { parseGoDuration } from '../../shared/go-duration.js';
import { MAX_ADVANCE_MS } from './constants.js';
import type { FieldMap } from '../validation/fields.js';

export function integerField(value: unknown, field: string, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badField(field, `must be an integer number of ${unit} from ${min} to ${max}`);
  }
  return value;
}

/** A Go duration string in milliseconds; the parser's RangeError becomes a 400 naming the field. */
export function goDurationField(value: unknown, field: string): number {
  if (typeof value !== 'string') throw badField(field, 'must be a Go duration string such as "90s", "1m30s" or "25h"');
  try {
    return parseGoDuration(value);
  } catch (err) {
    if (err instanceof RangeError) throw badField(field, err.message);
    throw err;
  }
}

/** The body of POST clock/advance: exactly one of duration_ms or duration. */
export function advanceBy(b: FieldMap): number {
  if (b.duration_ms !== undefined && b.duration !== undefined) throw badParameter('give either duration_ms or duration, not both');
  if (b.duration_ms !== undefined) return integerField(b.duration_ms, 'duration_ms', 0, MAX_ADVANCE_MS, 'milliseconds');
  if (b.duration === undefined) throw badParameter('one of duration_ms or duration is required');
  return goDurationField(b.duration, 'duration');
}

export function sinceIndex(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw badField('since_index', 'must be a non-negative integer');
  return Number(value);
}

/** An optional query filter, which must not be empty when given. */
export function nonEmptyQuery(q: Record<string, string>, key: string): string | undefined {
  const value = q[key];
  if (value === '') throw badField(key, 'must not be empty when given');
  return value;
}
