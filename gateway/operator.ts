import type { Metrics } from "../operations/metrics.ts";
import {
  type HttpTimeouts,
  httpTimeoutsFromEnv,
  type OperatorListen,
  type OperatorRoutes,
  operatorListenFromEnv,
  sendJson,
} from "../operations/operator.ts";
import { type Env, readSettings } from "../operations/settings.ts";

/**
 * The gateway's operator side: settings read from the environment (each
 * malformed value a start-up error naming it), and the routes of the
 * operator's listener — /metrics, /readiness, /healthcheck, /health/subgraphs.
 * None of them is served on the public port.
 */
export interface OperatorOptions {
  listen: OperatorListen;
  /** Limits on slow clients, for the public and the operator's listener alike. */
  timeouts: HttpTimeouts;
  /** More routes on the operator's listener (the one-process hub's subgraphs, under /subgraphs/<name>/). */
  routes?: OperatorRoutes;
  /** How to tell each subgraph is up; by default it must answer GET /healthcheck on its own port. */
  subgraphHealth?: Record<string, () => Promise<boolean>>;
}

export function operatorOptionsFromEnv(publicPort: number, env?: Env): OperatorOptions {
  return { listen: operatorListenFromEnv(publicPort, env), timeouts: httpTimeoutsFromEnv(env) };
}

/**
 * GRAPHIQL: `1` serves GraphiQL at /graphql to browsers, `0` does not. By
 * default on, and off in production (NODE_ENV=production), where the schema
 * is for operators (introspection is theirs alone) and a public playground
 * only invites exploring.
 */
export function graphiqlFromEnv(env?: Env): boolean {
  const s = readSettings(["GRAPHIQL", "NODE_ENV"], env);
  return s.GRAPHIQL ?? s.NODE_ENV !== "production";
}

/** Up when the subgraph answers on its port at all (a 5xx or no answer is down); never its URL in the report. */
async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(new URL("/healthcheck", url), { signal: AbortSignal.timeout(2000) });
    await r.body?.cancel();
    return r.status < 500;
  } catch {
    return false;
  }
}

export function gatewayOperatorRoutes(options: {
  metrics: Metrics;
  isDraining: () => boolean;
  /** The runtime's own readiness check: true once a supergraph is loaded. */
  supergraphLoaded: () => Promise<boolean>;
  subgraphUrls: Record<string, string>;
  operator: OperatorOptions;
}): OperatorRoutes {
  const health =
    options.operator.subgraphHealth ??
    Object.fromEntries(Object.entries(options.subgraphUrls).map(([name, url]) => [name, () => answers(url)]));
  return (path) => {
    if (path === "/healthcheck") return (_req, res) => sendJson(res, 200, { status: "ok" });
    if (path === "/metrics")
      return (_req, res) => {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
        res.end(options.metrics.render());
      };
    // Ready means this gateway can serve: a supergraph loaded and no shutdown under way. A subgraph that is
    // down costs only its owner's fields, so it must not take every gateway replica out of the load balancer.
    if (path === "/readiness")
      return async (_req, res) => {
        const ready = !options.isDraining() && (await options.supergraphLoaded().catch(() => false));
        sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready" });
      };
    // Each subgraph up or down, for the operator's dashboards and alerts (names only, never URLs).
    if (path === "/health/subgraphs")
      return async (_req, res) => {
        const checks = await Promise.all(
          Object.entries(health).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
        );
        const subgraphs = Object.fromEntries(checks.map(([name, up]) => [name, up ? "up" : "down"]));
        const down = checks.filter(([, up]) => !up).map(([name]) => name);
        sendJson(res, 200, { status: down.length ? "degraded" : "ok", subgraphs, down });
      };
    return options.operator.routes?.(path);
  };
}
