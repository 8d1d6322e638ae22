import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useSubgraphTimeout } from "../../gateway/useSubgraphTimeout.ts";

type Executor = (request: { document: unknown; signal?: AbortSignal }) => unknown;

/** The executor the plugin puts in place of `executor`, as the runtime would call it. */
function timed(executor: Executor, ms = 1000): Executor {
  let replaced: Executor | undefined;
  const hook = useSubgraphTimeout(() => ms).onSubgraphExecute as unknown as (payload: {
    subgraphName: string;
    executor: Executor;
    setExecutor(next: Executor): void;
  }) => void;
  hook({
    subgraphName: "bureaus",
    executor,
    setExecutor: (next) => {
      replaced = next;
    },
  });
  if (!replaced) throw new Error("the plugin did not wrap the executor");
  return replaced;
}

describe("a subgraph call's time limit", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("when the subgraph answers in time, then the answer passes through and no timer is left to fire later", async () => {
    const answer = { data: { ok: true } };
    const result = await timed(async () => answer)({ document: {} });
    expect(result).toBe(answer);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("when the executor answers at once or throws, then no timer is left either", () => {
    expect(timed(() => ({ data: {} }))({ document: {} })).toEqual({ data: {} });
    expect(() =>
      timed(() => {
        throw new Error("refused");
      })({ document: {} }),
    ).toThrow("refused");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("when the subgraph does not answer in time, then the call fails as GATEWAY_TIMEOUT and its request is aborted", async () => {
    let seen: AbortSignal | undefined;
    const pending = timed(({ signal }) => {
      seen = signal;
      return new Promise(() => {});
    }, 500)({ document: {} });
    const outcome = expect(pending).rejects.toMatchObject({ extensions: { code: "GATEWAY_TIMEOUT" } });
    await vi.advanceTimersByTimeAsync(499);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
    expect(seen?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("when the client goes away first, then the subgraph request is aborted with it", async () => {
    const client = new AbortController();
    let seen: AbortSignal | undefined;
    void timed(({ signal }) => {
      seen = signal;
      return new Promise(() => {});
    })({ document: {}, signal: client.signal });
    client.abort();
    expect(seen?.aborted).toBe(true);
  });
});
