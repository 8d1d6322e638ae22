import { describe, expect, test } from "vitest";
import { keepAllowed, RepeatFolder, scrubText } from "../../operations/logger.ts";

describe("what a log line may say", () => {
  test("when a message carries a USCC in either case, a URL, an address, a key or a token, then each is replaced", () => {
    const text = scrubText(
      "lookup 91310115MA1K4ABC2X and 91310115ma1k4abc2x at http://10.0.0.5:4002/graphql from 127.0.0.1:5555 key chk_abc eyJhbGciOi.eyJzdWIi.sig",
    );
    expect(text).toBe("lookup <uscc> and <uscc> at <url> from <address> key <key> <token>");
  });

  test("when an error's name is an 18-letter word, then it stays readable", () => {
    expect(scrubText("DriverAdapterError")).toBe("DriverAdapterError");
  });

  test("when a message carries a body, then only what precedes it stays", () => {
    expect(scrubText('subgraph failed {"query":"{ enterprise(uscc: 1) }"}')).toBe("subgraph failed …");
  });

  test("when fields are not on the allow list, then they are dropped whatever they hold", () => {
    expect(keepAllowed({ code: "FORBIDDEN", body: "{…}", variables: { uscc: "x" }, durationMs: 3 })).toEqual({
      code: "FORBIDDEN",
      durationMs: 3,
    });
  });

  test("when one line repeats within a window, then it is written once and summarised with a count", () => {
    const lines: Record<string, unknown>[] = [];
    const folder = new RepeatFolder(60_000, (line) => lines.push(line));
    for (let i = 0; i < 5; i++) folder.write("error", { msg: "ECONNRESET", service: "gateway", requestId: `r${i}` });
    folder.flush();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ repeated: 4, msg: expect.stringContaining("4 more like this") });
  });
});
