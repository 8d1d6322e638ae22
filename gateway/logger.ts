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

/**
 * A logger whose children all read the level of the first one, not of their parent.
 *
 * Why not the runtime's own: its child reads the level through its parent, and
 * @graphql-mesh/fusion-runtime 1.12.2 (the newest; `wrapMergedTypeResolver`)
 * re-derives `log = log.child({ subgraph })` on every entity fetch, into a
 * variable that outlives the request. Each child kept the previous one alive:
 * the gateway held one more logger per entity fetch for as long as it ran
 * (15 000 after a two-minute smoke run; the growth of a long run's heap), and a
 * level check walked the whole chain. A child here refers to the first logger
 * only, so the one it replaces is garbage.
 */
export class FlatLogger extends Logger {
  readonly #root: Logger;
  readonly #writers: [LogWriter, ...LogWriter[]];

  constructor(options: {
    level: LogLevel | false | (() => LogLevel | false);
    writers: [LogWriter, ...LogWriter[]];
    root?: Logger;
    prefix?: string;
    attrs?: Attributes;
  }) {
    super(options);
    this.#root = options.root ?? this;
    this.#writers = options.writers;
  }

  override child(prefixOrAttrs: string | Attributes, prefix?: string): Logger {
    const [attrs, more] =
      typeof prefixOrAttrs === "string"
        ? [this.attrs, prefixOrAttrs]
        : [mergedAttributes(this.attrs, prefixOrAttrs), prefix];
    const root = this.#root;
    return new FlatLogger({
      level: () => root.level,
      root,
      prefix: (this.prefix ?? "") + (more ?? "") || undefined,
      attrs,
      writers: this.#writers,
    });
  }
}

/** The runtime's rule for a child's attributes (its own helper is not exported): lists append, objects merge. */
function mergedAttributes(parent: Attributes | undefined, own: Attributes): Attributes {
  if (Array.isArray(own)) return Array.isArray(parent) ? [...parent, ...own] : parent ? [parent, ...own] : own;
  if (Array.isArray(parent)) return [...parent, own];
  return { ...parent, ...own };
}

/** The runtime's logger at LOG_LEVEL, writing through the hub's filter. */
export function hubRuntimeLogger(): Logger {
  const level = logLevelFromEnv();
  return new FlatLogger({ level, writers: [new HubLogWriter(level)] });
}
