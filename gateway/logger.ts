import { type Attributes, Logger, type LogLevel, type LogWriter } from "@graphql-hive/gateway-runtime";
import { keepAllowed, logLevelFromEnv, processFolder, scrubText } from "../operations/logger.ts";

/**
 * The gateway runtime's logger, given to it through its `logging` option so
 * that everything the runtime and its plugins log goes through one writer.
 * The runtime's own writers print what they are handed: its debug plugins
 * hand them each subgraph request (URL, body, variables — the USCCs a bank
 * asked about) and each answer, and its error lines carry the failed
 * subgraph request whole. This writer keeps what the subgraphs' logger keeps
 * (see operations/logger.ts): allow-listed attributes, scrubbed text, and
 * repeats folded into a count — the same at every level, debug included.
 */
class HubLogWriter implements LogWriter {
  constructor(readonly threshold: LogLevel) {}

  write(level: LogLevel, attrs: Attributes | null | undefined, msg: string | null | undefined): void {
    const fields = attrs && !Array.isArray(attrs) ? (attrs as Record<string, unknown>) : {};
    // An error logged as attributes (a GraphQLError's JSON) has no msg; its own message and code say what happened.
    const extensions = (fields.extensions ?? {}) as Record<string, unknown>;
    const http = (extensions.http ?? {}) as Record<string, unknown>;
    const text = msg ?? (typeof fields.message === "string" ? fields.message : "");
    const status = fields.status ?? http.status;
    // The runtime logs its refusal of a malformed request (no such operation, bad JSON) as an error; it is the
    // client's mistake, answered with a 4xx, and an operator's error log is for what the hub must fix.
    const clientMistake = level === "error" && typeof status === "number" && status >= 400 && status < 500;
    if (clientMistake && (this.threshold === "warn" || this.threshold === "error")) return;
    const as: LogLevel = clientMistake ? "info" : level;
    processFolder().write(as, {
      time: new Date().toISOString(),
      level: as,
      msg: scrubText(text) || "(no message)",
      ...keepAllowed({
        service: "gateway",
        requestId: fields.requestId,
        subgraph: fields.subgraph ?? fields.subgraphName ?? extensions.serviceName,
        code: fields.code ?? extensions.code,
        status,
        durationMs: typeof fields.duration === "number" ? Math.round(fields.duration) : undefined,
      }),
    });
  }
  flush(): void {
    processFolder().flush();
  }
}

/** The runtime's logger at LOG_LEVEL, writing through the hub's filter. */
export function hubRuntimeLogger(): Logger {
  const level = logLevelFromEnv();
  return new Logger({ level, writers: [new HubLogWriter(level)] });
}
