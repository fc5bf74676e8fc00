// Flag value parsers for the bot's commands. They throw commander's
// InvalidArgumentError, which commander reports naming the flag (exit 2).
import { InvalidArgumentError } from 'commander';
import { parseGoDuration } from '../../shared/go-duration.js';

/** A positive Go duration ("1h", "20m", "500ms") in milliseconds. */
export function positiveDuration(value: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(value.trim());
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  if (ms <= 0) throw new InvalidArgumentError('must be longer than zero');
  return ms;
}

/** host:port, IPv6 hosts in brackets. */
export function hostPort(value: string): string {
  const m = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 1 || port > 65535) throw new InvalidArgumentError('expected host:port, e.g. auth.example.com:3025 or [::1]:3025');
  return value;
}
