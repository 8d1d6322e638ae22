import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import type { CryptoKey } from "jose";
import { HUB_TOKEN_HEADER } from "../protocol/headers.ts";
import { mintHubToken } from "../protocol/hub-token.ts";
import { ANONYMOUS } from "../protocol/identity.ts";

/** One timed run of autocannon, every request with its own body. */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Transport errors, timeouts and non-2xx answers: a run with any is reported, not trusted. */
  failures: number;
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** The i-th request's body. */
  body(i: number): string;
  /** Extra headers for the i-th request (a pre-minted hub token, for the direct runs). */
  headersFor?(i: number): Record<string, string>;
  connections: number;
  seconds: number;
  /** A fixed rate (requests per second, all connections together) instead of as fast as possible. */
  rate?: number;
  /** Where in the data set this run starts, so consecutive runs do not repeat each other's requests. */
  offset: number;
}

export async function drive(options: LoadOptions): Promise<LoadResult> {
  let next = options.offset;
  const result = await autocannon({
    url: options.url,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...options.headers },
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const i = next++;
          const extra = options.headersFor?.(i);
          return {
            ...request,
            body: options.body(i),
            ...(extra ? { headers: { ...request.headers, ...extra } } : {}),
          };
        },
      },
    ],
  });
  const seconds = result.duration;
  const requests = result.requests.total;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Hub tokens for requests sent straight to a subgraph, minted before the run
 * (each is single-use and bound to its body), so the client's signing does not
 * compete with the subgraph for the CPU while it is timed.
 */
export async function mintTokens(
  key: CryptoKey,
  subgraph: string,
  bodies: (i: number) => string,
  from: number,
  count: number,
): Promise<(i: number) => Record<string, string>> {
  const tokens = new Map<number, string>();
  for (let i = from; i < from + count; i++)
    tokens.set(
      i,
      await mintHubToken(key, subgraph, bodies(i), { caller: ANONYMOUS, purpose: null, requestId: randomUUID() }),
    );
  return (i) => ({ [HUB_TOKEN_HEADER]: tokens.get(i) ?? "exhausted" });
}
