/**
 * Structured JSON logs, one object per line on stderr. LOG_LEVEL picks the
 * threshold with the gateway runtime's names (trace, debug, info, warn,
 * error), so one setting serves both; the runtime refuses any other value.
 *
 * What reaches a line is decided here, at every level, not by each caller:
 * only allow-listed attributes (ids, names, codes, statuses, durations, counts)
 * pass, text is scrubbed of URLs, addresses, USCCs, keys and anything shaped
 * like a request or answer body, and a line repeated within a window is
 * written once and then summarised as a count. A logger that an attacker can
 * make write a line per request, with that request's body in it, is both a
 * disk-filling attack and a copy of credit data where nobody audits it.
 * gateway/logger.ts puts the runtime's own logger through the same filter.
 */
import { type Env, readSettings } from "./settings.ts";

const LEVELS = { trace: 5, debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** LOG_LEVEL (operations/settings.ts), checked: a misspelt level is a start-up error, not a silently different threshold. */
export function logLevelFromEnv(env?: Env): LogLevel {
  return readSettings(["LOG_LEVEL"], env).LOG_LEVEL;
}

/** LOG_REPEAT_WINDOW_SECONDS (default 10): how long repeats of one line are counted before their summary. */
export function repeatWindowMsFromEnv(env?: Env): number {
  return Math.max(100, readSettings(["LOG_REPEAT_WINDOW_SECONDS"], env).LOG_REPEAT_WINDOW_SECONDS * 1000);
}

/**
 * The attributes a line may carry. Everything else — URLs, headers, bodies,
 * variables, answers, SQL parameters, stacks — is dropped whatever its level.
 */
const ALLOWED = new Set([
  "service",
  "subgraph",
  "requestId",
  "code",
  "status",
  "reason",
  "error",
  "errorName",
  "durationMs",
  "purged",
  "signal",
  "route",
]);
const MAX_TEXT = 200;

/** Text as it may appear in a log: no URLs, addresses, USCCs, keys, tokens or bodies, and short. */
export function scrubText(text: string): string {
  // Prisma and similar put the call's arguments (values included) on the lines before the reason: keep the reason.
  const lines = text.split("\n").filter((l) => l.trim());
  let out = (lines.length > 1 ? (lines.at(-1) ?? "") : text).trim();
  // Whatever follows an opening brace, or a bracket opening a JSON array, is a body, variables or an answer
  // (a bracketed tag such as the runtime's "[useFetchDebug]" stays).
  const body = out.search(/\{|\[(?=[{["\d])/);
  if (body >= 0) out = `${out.slice(0, body).trimEnd()} …`;
  out = out
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, "<url>")
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, "<address>")
    .replace(/\[?[0-9a-f]*:[0-9a-f:]*:[0-9a-f]+\]?(?::\d+)?/gi, (m) => (m.split(":").length > 3 ? "<address>" : m))
    .replace(/\blocalhost(?::\d+)?\b/gi, "<address>")
    .replace(/\bchk_\S+/g, "<key>")
    .replace(/\beyJ[\w-]+\.[\w-]+\.?[\w-]*/g, "<token>")
    // A USCC or anything shaped like one, in either case: 18 characters whose third to eighth are the
    // administrative-division digits (so an 18-letter word such as "DriverAdapterError" stays readable).
    .replace(/\b[0-9A-Z]{2}\d{6}[0-9A-Z]{10}\b/gi, "<uscc>");
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}…` : out;
}

/** The allow-listed attributes, each a short scrubbed string, a finite number or a boolean. */
export function keepAllowed(fields: Record<string, unknown>): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!ALLOWED.has(key)) continue;
    if (typeof value === "string") kept[key] = scrubText(value);
    else if (typeof value === "number" && Number.isFinite(value)) kept[key] = value;
    else if (typeof value === "boolean") kept[key] = value;
  }
  return kept;
}

/** Distinct lines counted per window; past this, the rest count as one "other lines" summary. */
const MAX_KEYS = 200;

/**
 * Folds repeats: the first line of a kind in a window is written, the others
 * only counted, and when the window closes one line says how many more there
 * were. A kind is the level, the scrubbed message, the service, subgraph and
 * code — never the request id, so a failure that hits every request is one
 * kind. Written by hand because neither the runtime's logger nor Node's has
 * sampling or deduplication.
 */
export class RepeatFolder {
  readonly #counts = new Map<string, { level: LogLevel; line: Record<string, unknown>; more: number }>();
  #overflow = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly windowMs: number,
    readonly emit: (line: Record<string, unknown>) => void,
  ) {
    this.#timer = setInterval(() => this.flush(), windowMs);
    this.#timer.unref();
  }

  /** Writes the line or counts it. */
  write(level: LogLevel, line: Record<string, unknown>): void {
    const kind = JSON.stringify([level, line.msg, line.service, line.subgraph, line.code, line.status]);
    const seen = this.#counts.get(kind);
    if (seen) {
      seen.more++;
      return;
    }
    if (this.#counts.size >= MAX_KEYS) {
      this.#overflow++;
      return;
    }
    this.#counts.set(kind, { level, line, more: 0 });
    this.emit(line);
  }

  /** Summarises what was counted and opens a new window. */
  flush(): void {
    const seconds = this.windowMs / 1000;
    for (const { level, line, more } of this.#counts.values())
      if (more > 0)
        this.emit({
          time: new Date().toISOString(),
          level,
          msg: `${String(line.msg)} (${more} more like this in ${seconds} s)`,
          ...Object.fromEntries(
            ["service", "subgraph", "code", "status"].flatMap((k) => (k in line ? [[k, line[k]]] : [])),
          ),
          repeated: more,
        });
    if (this.#overflow)
      this.emit({
        time: new Date().toISOString(),
        level: "warn",
        msg: `${this.#overflow} more log lines of other kinds in ${seconds} s, not written`,
        repeated: this.#overflow,
      });
    this.#counts.clear();
    this.#overflow = 0;
  }
}

const stderrLine = (line: Record<string, unknown>) => process.stderr.write(`${JSON.stringify(line)}\n`);
let shared: RepeatFolder | undefined;
/** One folder per process, so the gateway's and every in-process subgraph's repeats fold alike. */
export function processFolder(): RepeatFolder {
  if (!shared) {
    const folder = new RepeatFolder(repeatWindowMsFromEnv(), stderrLine);
    shared = folder;
    // Pipes and files are written synchronously on exit, so the last window's counts are not lost.
    process.once("exit", () => folder.flush());
  }
  return shared;
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const level = LEVELS[logLevelFromEnv()];
  const folder = processFolder();
  const write = (name: Exclude<LogLevel, "trace">, msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[name] < level) return;
    folder.write(name, {
      time: new Date().toISOString(),
      level: name,
      msg: scrubText(msg),
      ...keepAllowed({ ...base, ...fields }),
    });
  };
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

/** What a log may say about an error: its kind and its reason, scrubbed (no stack: file paths and frames help no one outside). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const database = databaseMessage(error);
  return { errorName: error.name, error: database ? `${error.message.trim()} (database: ${database})` : error.message };
}

/**
 * The database's own words (its message, never its detail, which may quote values): a Prisma error about a raw
 * statement over a driver adapter says only "Raw query failed" and keeps them in `meta`.
 */
function databaseMessage(error: Error): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { message?: unknown } } } }).meta;
  const message = meta?.driverAdapterError?.cause?.message;
  return typeof message === "string" && !error.message.includes(message) ? message : undefined;
}
