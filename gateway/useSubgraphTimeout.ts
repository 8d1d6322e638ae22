import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { abortSignalAny } from "@graphql-hive/signal";
import { GraphQLError } from "graphql";

/**
 * Bounds each subgraph call (SUBGRAPH_TIMEOUT_MS, SUBGRAPH_TIMEOUT_MS_<NAME>): past it the call is aborted and only its
 * fields fail, as timed out, while the rest of the answer comes back. Hand-written in place of the runtime's
 * `upstreamTimeout`, which arms an `AbortSignal.timeout` that cannot be cleared: every call, answered in milliseconds,
 * left a timer that fired seconds later and built a DOMException with its stack (4–5 % of the gateway's CPU under
 * load in issue 15's profile). Here the timer is cleared the moment the call settles, and the one reason it aborts
 * with is made once.
 */
export function useSubgraphTimeout(timeoutMs: (subgraph: string) => number): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executor, setExecutor }) {
      const ms = timeoutMs(subgraphName);
      const timed = (request: Parameters<typeof executor>[0]) => {
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort(TIMED_OUT);
            reject(timeoutError());
          }, ms);
        });
        // A rejection nobody awaits once the call has won the race is not an error of this process.
        timedOut.catch(() => {});
        const signal = abortSignalAny(request.signal ? [request.signal, controller.signal] : [controller.signal]);
        let result: ReturnType<typeof executor>;
        try {
          result = executor({ ...request, signal });
        } catch (error) {
          clearTimeout(timer);
          throw error;
        }
        // The runtime's executors may answer with a plain value or a thenable of their own, not always a Promise.
        if (typeof (result as { then?: unknown } | null)?.then !== "function") {
          clearTimeout(timer);
          return result;
        }
        return Promise.race([Promise.resolve(result), timedOut]).finally(() => clearTimeout(timer));
      };
      setExecutor(timed as typeof executor);
    },
  };
}

/** Made once: an abort reason built per call would capture a stack each time. */
const TIMED_OUT = new Error("The data owner's service did not answer in time (timeout).");

/** Worded like the runtime's own outage errors, so the edge scrubs it to SUBGRAPH_UNAVAILABLE (scrubbed-error.ts). */
function timeoutError(): GraphQLError {
  return new GraphQLError(TIMED_OUT.message, { extensions: { code: "GATEWAY_TIMEOUT", http: { status: 504 } } });
}
