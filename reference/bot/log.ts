// How the reference bot reports what it does. Lines go to stderr as
// `LEVEL message key=value …`; the message texts are tbot's where the client
// notes quote them, so a person (or a scenario) can look for the same words.
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface BotLog {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function formatLogLine(level: LogLevel, message: string, fields: LogFields = {}): string {
  const rest = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`);
  return [level, message, ...rest].join(' ');
}

/** A logger writing one line per entry to a stream (stderr by default). */
export function streamLog(write: (line: string) => void = (l) => process.stderr.write(l), debug = false): BotLog {
  const emit = (level: LogLevel) => (message: string, fields?: LogFields) => write(`${formatLogLine(level, message, fields)}\n`);
  return {
    debug: debug ? emit('DEBUG') : () => {},
    info: emit('INFO'),
    warn: emit('WARN'),
    error: emit('ERROR'),
  };
}

/** A logger that keeps its lines, for unit tests. */
export function memoryLog(): BotLog & { lines: string[] } {
  const lines: string[] = [];
  const log = streamLog((l) => lines.push(l.trimEnd()), true);
  return Object.assign(log, { lines });
}
