import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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

function positiveMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number of milliseconds above 0; got ${JSON.stringify(raw)}.`);
  return value;
}

/** HTTP_HEADERS_TIMEOUT_MS (10 s), HTTP_REQUEST_TIMEOUT_MS (30 s), HTTP_KEEP_ALIVE_TIMEOUT_MS (5 s). */
export function httpTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpTimeouts {
  const timeouts = {
    headersMs: positiveMs(env, "HTTP_HEADERS_TIMEOUT_MS", 10_000),
    requestMs: positiveMs(env, "HTTP_REQUEST_TIMEOUT_MS", 30_000),
    keepAliveMs: positiveMs(env, "HTTP_KEEP_ALIVE_TIMEOUT_MS", 5_000),
  };
  // Node refuses a headers limit above the request limit; say so in the hub's terms.
  if (timeouts.headersMs > timeouts.requestMs)
    throw new Error("HTTP_HEADERS_TIMEOUT_MS must not be above HTTP_REQUEST_TIMEOUT_MS.");
  return timeouts;
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
export function operatorListenFromEnv(publicPort: number, env: NodeJS.ProcessEnv = process.env): OperatorListen {
  const fallback = publicPort > 0 && publicPort + 100 <= 65535 ? publicPort + 100 : 0;
  const raw = env.OPERATOR_PORT;
  const port = raw === undefined ? fallback : Number(raw);
  if (raw !== undefined && (raw.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535))
    throw new Error(`OPERATOR_PORT must be a port number (0 for any free port); got ${JSON.stringify(raw)}.`);
  return { port, host: env.OPERATOR_HOST ?? "127.0.0.1" };
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
