/**
 * Structured JSON logs, one object per line on stderr. LOG_LEVEL picks the
 * threshold with the gateway runtime's names (trace, debug, info, warn,
 * error), so one setting serves both; the runtime refuses any other value.
 */
const LEVELS = { trace: 5, debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info").toLowerCase();
  return level in LEVELS ? LEVELS[level as LogLevel] : LEVELS.info;
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const write = (level: Exclude<LogLevel, "trace">, msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[level] < threshold()) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
  };
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}
