/**
 * The one logger. Structured JSON lines with an event name and small typed fields.
 * Privacy (Law 25): callers pass ids, counts, levels and error kinds — never message text, names
 * or free-text answers. Fields whose names suggest content are dropped here as a second fence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogValue = string | number | boolean | null | undefined | readonly string[];
export type LogFields = Record<string, LogValue>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const FORBIDDEN_FIELDS = /^(text|message|body|excerpt|name|answer|content|comment|value|input)$/i;
/** The record's own keys: a field may not overwrite them. */
const RESERVED_FIELDS = new Set(['time', 'level', 'event']);

export type LogSink = (line: string) => void;

export function createLogger(level: LogLevel, sink: LogSink = (line) => process.stdout.write(`${line}\n`), base: LogFields = {}): Logger {
  const write = (at: Exclude<LogLevel, 'silent'>, event: string, fields: LogFields = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level: at, event };
    for (const [key, value] of Object.entries({ ...base, ...fields })) {
      if (value === undefined || FORBIDDEN_FIELDS.test(key) || RESERVED_FIELDS.has(key)) continue;
      record[key] = value;
    }
    sink(JSON.stringify(record));
  };
  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}

/** Error kinds only: a storage or HTTP error message can echo a document or a request body. */
export function errorKind(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  return typeof error;
}

export const silentLogger: Logger = createLogger('silent');
