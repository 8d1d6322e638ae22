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
  write(level: LogLevel, attrs: Attributes | null | undefined, msg: string | null | undefined): void {
    const fields = attrs && !Array.isArray(attrs) ? (attrs as Record<string, unknown>) : {};
    // An error logged as attributes (a GraphQLError's JSON) has no msg; its own message and code say what happened.
    const extensions = (fields.extensions ?? {}) as Record<string, unknown>;
    const http = (extensions.http ?? {}) as Record<string, unknown>;
    const text = msg ?? (typeof fields.message === "string" ? fields.message : "");
    processFolder().write(level, {
      time: new Date().toISOString(),
      level,
      msg: scrubText(text) || "(no message)",
      ...keepAllowed({
        service: "gateway",
        requestId: fields.requestId,
        subgraph: fields.subgraph ?? fields.subgraphName ?? extensions.serviceName,
        code: fields.code ?? extensions.code,
        status: fields.status ?? http.status,
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
  return new Logger({ level: logLevelFromEnv(), writers: [new HubLogWriter()] });
}
