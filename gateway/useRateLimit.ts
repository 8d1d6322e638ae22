import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { GraphQLError } from "graphql";
import { callerOfRequest } from "./useAuthentication.ts";

/**
 * Requests per minute per organisation; anonymous callers are counted per
 * client address (`addressHeader`, set by the HTTP front). A fixed one-minute
 * window per caller, in this process.
 *
 * Counted in `onParams`, once useAuthentication (placed before this
 * one) knows the caller, and before the document is parsed: a request the
 * parser, the shape limits or the cost limit then refuse has been counted.
 *
 * Hand-written: the runtime (2.12) carries no rate limiting; Hive's
 * `@graphql-mesh/plugin-rate-limit` (on `@envelop/rate-limiter`) limits
 * calls of chosen fields as they resolve, after parsing and validation, so
 * the requests those refuse would never count.
 */
export function useRateLimit(limit: number | null, addressHeader: string): GatewayPlugin {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = Date.now();
  return {
    onParams({ request }) {
      if (limit === null) return;
      const caller = callerOfRequest(request);
      const key =
        caller?.kind === "organisation"
          ? `org:${caller.organisationId}`
          : `addr:${request.headers.get(addressHeader) ?? "unknown"}`;
      const now = Date.now();
      if (now - lastSweep > 60_000) {
        for (const [k, w] of windows) if (now - w.start >= 60_000) windows.delete(k);
        lastSweep = now;
      }
      const window = windows.get(key);
      if (!window || now - window.start >= 60_000) windows.set(key, { start: now, count: 1 });
      else if (++window.count > limit) {
        const retry = Math.ceil((window.start + 60_000 - now) / 1000);
        throw new GraphQLError(`More than ${limit} requests in a minute; try again in ${retry} s.`, {
          extensions: { code: "RATE_LIMITED", http: { status: 429, headers: { "retry-after": String(retry) } } },
        });
      }
    },
  };
}
