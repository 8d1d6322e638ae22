import { Logger, type LogLevel, type LogWriter } from "@graphql-hive/gateway-runtime";
import { describe, expect, test } from "vitest";
import { FlatLogger } from "../../gateway/logger.ts";

function capture() {
  const lines: { level: LogLevel; attrs: unknown; msg: string | null | undefined }[] = [];
  const writer: LogWriter = { write: (level, attrs, msg) => void lines.push({ level, attrs, msg }) };
  return { lines, writer };
}

// What @graphql-mesh/fusion-runtime does on every entity fetch: the variable outlives the request.
function deriveOnEveryFetch(log: Logger, fetches: number): Logger {
  let current = log;
  for (let i = 0; i < fetches; i++) current = current.child({ subgraph: i % 2 ? "associations" : "industry" });
  return current;
}

describe("the gateway runtime's logger", () => {
  test("when a child is derived from the last one on every entity fetch, then a level check still costs one step", () => {
    const { lines, writer } = capture();
    const log = deriveOnEveryFetch(new FlatLogger({ level: "info", writers: [writer] }), 200_000);
    log.info({ requestId: "r1" }, "still answers");
    expect(lines).toEqual([
      { level: "info", attrs: { subgraph: "associations", requestId: "r1" }, msg: "still answers" },
    ]);
    // The runtime's own logger, for contrast: every child reads its parent's level, so the chain is walked whole.
    const chained = deriveOnEveryFetch(new Logger({ level: "info", writers: [writer] }), 200_000);
    expect(() => chained.info("walks 200 000 parents")).toThrow(RangeError);
  });

  test("when children add attributes and prefixes, then each line carries all of them, at the first logger's level", () => {
    const { lines, writer } = capture();
    const root = new FlatLogger({ level: "warn", writers: [writer] });
    const child = root.child({ requestId: "r2" }).child("[fetch] ").child({ subgraph: "registry" }, "[plan] ");
    child.info("below the level");
    child.warn({ code: "TIMEOUT" }, "slow");
    root.setLevel("debug");
    child.debug("the first logger's level now");
    expect(lines).toEqual([
      { level: "warn", attrs: { requestId: "r2", subgraph: "registry", code: "TIMEOUT" }, msg: "[fetch] [plan] slow" },
      {
        level: "debug",
        attrs: { requestId: "r2", subgraph: "registry" },
        msg: "[fetch] [plan] the first logger's level now",
      },
    ]);
  });
});
