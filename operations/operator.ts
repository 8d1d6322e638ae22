import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Env, readSettings } from "./settings.ts";

/**
 * What only the hub's operator reaches — /metrics, /readiness and the
 * gateway's subgraph health — served on an address of its own (OPERATOR_HOST,
 * OPERATOR_PORT) rather than the public port, and the time limits every HTTP
 * server of the hub puts on a client that sends its headers or body slowly.
 */

export interface HttpTimeouts {
  /** All request headers must arrive within this (Node's `headersTimeout`). */
  headersMs: number;
  /** The whole request, body included, must arrive within this (Node's `requestTimeout`). */
  requestMs: number;
  /** An idle kept-alive connection is closed after this (Node's `keepAliveTimeout`). */
  keepAliveMs: number;
}

/**
 * HTTP_HEADERS_TIMEOUT_MS (10 s), HTTP_REQUEST_TIMEOUT_MS (30 s), HTTP_KEEP_ALIVE_TIMEOUT_MS (5 s); the
 * headers limit no higher than the request limit, which Node refuses (operations/settings.ts checks both).
 */
export function httpTimeoutsFromEnv(env?: Env): HttpTimeouts {
  const s = readSettings(["HTTP_HEADERS_TIMEOUT_MS", "HTTP_REQUEST_TIMEOUT_MS", "HTTP_KEEP_ALIVE_TIMEOUT_MS"], env);
  return {
    headersMs: s.HTTP_HEADERS_TIMEOUT_MS,
    requestMs: s.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveMs: s.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  };
}

/**
 * Options for `http.createServer` that bound a slow client. Node enforces the
 * headers and request limits itself (answering 408 and closing the socket),
 * but only as often as `connectionsCheckingInterval` (30 s by default), so the
 * check runs at a fraction of the shortest limit.
 */
export function boundedServerOptions(timeouts: HttpTimeouts): ServerOptions {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(timeouts.headersMs / 4))),
  };
}

export interface OperatorListen {
  port: number;
  host: string;
}

/**
 * OPERATOR_HOST (127.0.0.1) and OPERATOR_PORT: by default the public port
 * plus 100 (4100 beside the gateway's 4000, 4101 beside the registry's 4001),
 * 0 (any free port, printed at start) when the public port is 0 or that would
 * not be a port.
 */
export function operatorListenFromEnv(publicPort: number, env?: Env): OperatorListen {
  const fallback = publicPort > 0 && publicPort + 100 <= 65535 ? publicPort + 100 : 0;
  const s = readSettings(["OPERATOR_PORT", "OPERATOR_HOST"], env);
  return { port: s.OPERATOR_PORT ?? fallback, host: s.OPERATOR_HOST };
}

/** A GET route of the operator's server; answers the request itself. */
export type OperatorRoute = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
/** Finds the route for a path (routes can change while the server runs: a subgraph restarted in-process). */
export type OperatorRoutes = (path: string) => OperatorRoute | undefined;

export interface RunningOperatorServer {
  url: string;
  close(): Promise<void>;
}

/** The operator's listener: GET only, its routes, 404 for the rest. */
export async function startOperatorServer(
  listen: OperatorListen,
  routes: OperatorRoutes,
  timeouts: HttpTimeouts,
): Promise<RunningOperatorServer> {
  const server: Server = createServer(boundedServerOptions(timeouts), (req, res) => {
    const path = new URL(req.url ?? "/", "http://operator").pathname;
    const route = req.method === "GET" ? routes(path) : undefined;
    if (!route) return sendJson(res, 404, { error: "Not found." });
    Promise.resolve(route(req, res)).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: "Internal error." });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host === "0.0.0.0" || listen.host === "::" ? "127.0.0.1" : listen.host;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
