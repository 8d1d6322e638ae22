import { getMaxListeners, setMaxListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import type { CORSOptions } from "graphql-yoga";
import type { CryptoKey } from "jose";
import { Metrics } from "../operations/metrics.ts";
import { boundedServerOptions, startOperatorServer } from "../operations/operator.ts";
import { readSettings, subgraphTimeouts } from "../operations/settings.ts";
import { API_KEY_HEADER, PURPOSE_HEADER, REQUEST_ID_HEADER } from "../protocol/headers.ts";
import { type EdgeOptions, edgeOptionsFromEnv } from "./edge-options.ts";
import { edgeHttpHandler } from "./http.ts";
import { mayIntrospect } from "./introspection.ts";
import { hubRuntimeLogger } from "./logger.ts";
import { gatewayOperatorRoutes, graphiqlFromEnv, type OperatorOptions, operatorOptionsFromEnv } from "./operator.ts";
import { gatewayPlugins } from "./plugins.ts";
import { publicPage } from "./public-page.ts";
import type { RegistryClient } from "./registry-client.ts";
import { scrubbedError } from "./scrubbed-error.ts";
import { trustedDocumentsConfig } from "./trusted-documents.ts";
import type { HubContext } from "./useAuthentication.ts";

export interface GatewayOptions {
  /** The composed supergraph SDL, or where to get it again (see `pollMs`). */
  supergraph: string | (() => string);
  /** How often to ask `supergraph` again; a changed answer is served from the next request on, without a restart. */
  pollMs?: number;
  /** Where each subgraph listens, overriding the URLs in the supergraph. */
  subgraphUrls: Record<string, string>;
  signingKey: CryptoKey;
  registry: RegistryClient;
  /** The public edge's limits and production switches; from the environment when left out. */
  edge?: EdgeOptions;
}

/** Builds the hub's gateway: a request handler, not yet listening. */
export function createGateway(options: GatewayOptions) {
  allowSubgraphFanOut();
  const gateway = createRuntime(options);
  keepSignalsForGracefulShutdown();
  return gateway;
}

/**
 * The runtime's HTTP executor hangs one abort listener per subgraph fetch in
 * flight on a signal that lives as long as that subgraph's executor, and lets
 * it go only when the fetch's own signal is garbage-collected. A bank's
 * standing check fans out to more than ten fetches, so Node's default cap of
 * ten reads ordinary traffic as a leak and prints a warning an operator would
 * chase. The executor is built inside the runtime, out of reach of a per-signal
 * setMaxListeners, so the default for signals made from here on is raised; the
 * bound stays, so a real leak still shows.
 */
function allowSubgraphFanOut() {
  if (getMaxListeners(new EventTarget()) < FAN_OUT_LISTENERS) setMaxListeners(FAN_OUT_LISTENERS);
}
const FAN_OUT_LISTENERS = 1_000;

/**
 * The runtime's server adapter disposes the gateway the moment SIGINT or
 * SIGTERM arrives, failing every request in flight ("the server is shutting
 * down"). The hub shuts down itself — stop accepting, let accepted requests
 * finish, then dispose (RunningGateway.close) — so that handler is removed.
 */
function keepSignalsForGracefulShutdown() {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    for (const listener of process.listeners(signal))
      if (listener.name === "terminateHandler") process.removeListener(signal, listener);
}

function createRuntime(options: GatewayOptions) {
  const edge = options.edge ?? edgeOptionsFromEnv();
  // SUBGRAPH_TIMEOUT_MS_<NAME>, else SUBGRAPH_TIMEOUT_MS, else 10 s.
  const timeoutMs = subgraphTimeouts();
  const supergraph = options.supergraph;
  return createGatewayRuntime<HubContext>({
    supergraph: typeof supergraph === "function" ? () => supergraph() : supergraph,
    ...(options.pollMs ? { pollingInterval: options.pollMs } : {}),
    transportEntries: Object.fromEntries(
      Object.entries(options.subgraphUrls).map(([name, location]) => [
        name,
        // The HTTP executor would share one subgraph answer among concurrent identical requests, keyed on the
        // body alone — before the hub token (the caller) is added. Each caller's request must reach the owner:
        // to be decided for that caller and recorded in the owner's audit log.
        { location, options: { deduplicateInflightRequests: false } },
      ]),
    ),
    // Served from the package: the runtime's default page loads from a CDN. Loaded when first asked for: the page's
    // bundle is 30 MB of strings a gateway with GraphiQL off (production's default) would hold for nothing.
    renderGraphiQL: async (graphiql) => (await import("@graphql-yoga/render-graphiql")).renderGraphiQL(graphiql),
    // Off in production unless GRAPHIQL=1 (gateway/operator.ts).
    graphiql: graphiqlFromEnv() ? { title: "credit-hub" } : false,
    landingPage: false,
    // Its own logger, whose writer keeps no bodies, variables, answers or URLs at any level (gateway/logger.ts).
    logging: hubRuntimeLogger(),
    // Subgraph names are internals; clients need the code and path, not who failed.
    subgraphErrors: false,
    ...(edge.scrubErrors
      ? { maskedErrors: { maskError: (error: unknown) => scrubbedError(error) } }
      : { maskedErrors: false }),
    persistedDocuments: trustedDocumentsConfig(edge.trustedDocuments, edge.trustedDocumentsOnly),
    disableIntrospection: { disableIf: ({ context }) => !mayIntrospect(edge, context as Partial<HubContext>) },
    // Cross-origin calls only from the configured origins; none when the list is empty.
    cors: (request) => {
      const origin = request.headers.get("origin");
      // No CORS headers at all for an origin outside the list (false is what the runtime's CORS code takes for "none").
      if (!origin || !edge.corsOrigins.includes(origin)) return false as unknown as CORSOptions;
      return {
        origin: [origin],
        credentials: false,
        methods: ["GET", "POST"],
        allowedHeaders: ["content-type", API_KEY_HEADER, PURPOSE_HEADER, "authorization", REQUEST_ID_HEADER],
      };
    },
    // Their order is load-bearing: plugins.ts is the one place it is written, with the reason for each position.
    plugins: () =>
      gatewayPlugins({
        edge,
        registry: options.registry,
        signingKey: options.signingKey,
        subgraphTimeoutMs: timeoutMs,
      }),
  });
}

export interface RunningGateway {
  url: string;
  /** The operator's address: /metrics, /readiness, /healthcheck, /health/subgraphs. */
  operatorUrl: string;
  /** Graceful: requests already accepted finish (up to `graceMs`), new ones are refused. */
  close(graceMs?: number): Promise<void>;
}

export async function startGateway(
  options: GatewayOptions,
  listen: { port: number; host?: string },
  /** The operator's listener, time limits and extra routes; from the environment (OPERATOR_*, HTTP_*) when left out. */
  operatorOptions?: OperatorOptions,
): Promise<RunningGateway> {
  const edge = options.edge ?? edgeOptionsFromEnv();
  const operator = operatorOptions ?? operatorOptionsFromEnv(listen.port);
  const { SHUTDOWN_GRACE_MS } = readSettings(["SHUTDOWN_GRACE_MS"]);
  const gateway = createGateway({ ...options, edge });
  const gatewayFetch = async (url: string, init: RequestInit) => gateway.fetch(url, init);
  const metrics = new Metrics("credit_hub_gateway");
  // Bounded header and body time (Node enforces them): a client trickling a request cannot hold a socket for minutes.
  const server = createServer(
    boundedServerOptions(operator.timeouts),
    edgeHttpHandler({
      edge,
      metrics,
      page: publicPage(gatewayFetch),
      isDraining: () => shutdown.isDraining(),
      gateway,
      gatewayFetch,
    }),
  );
  const shutdown = shutdownControl(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const operatorServer = await startOperatorServer(
    operator.listen,
    gatewayOperatorRoutes({
      metrics,
      isDraining: () => shutdown.isDraining(),
      // The runtime's own readiness check: a supergraph loaded (it does not ask the subgraphs).
      supergraphLoaded: async () => (await gateway.fetch("http://gateway/readiness")).ok,
      subgraphUrls: options.subgraphUrls,
      operator,
    }),
    operator.timeouts,
  ).catch(async (error: NodeJS.ErrnoException) => {
    await new Promise((resolve) => server.close(resolve));
    await gateway.dispose();
    if (error.code === "EADDRINUSE")
      error.message = `operator port ${operator.listen.port} is already in use; set OPERATOR_PORT.`;
    throw error;
  });
  return {
    url: `http://localhost:${port}/graphql`,
    operatorUrl: operatorServer.url,
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      // Readiness turns 503 at once (draining), for the load balancer; the operator's port closes last.
      await shutdown.drain(graceMs);
      await gateway.dispose();
      await operatorServer.close();
    },
  };
}

/**
 * Graceful shutdown. From the first call, requests that arrive get a 503
 * (`SHUTTING_DOWN`, connection closed) while those already accepted run to
 * the end; once nothing has been in flight for a moment, the port is closed.
 * Closing the port at once would reset connections the kernel had already
 * accepted for us. What still runs after `graceMs` is cut off.
 */
function shutdownControl(server: Server) {
  let active = 0;
  let lastActivity = Date.now();
  let draining = false;
  server.on("request", (_req, res) => {
    active++;
    lastActivity = Date.now();
    res.once("close", () => {
      active--;
      lastActivity = Date.now();
    });
  });
  return {
    isDraining: () => draining,
    drain(graceMs: number): Promise<void> {
      draining = true;
      return new Promise<void>((resolve) => {
        const deadline = Date.now() + graceMs;
        const poll = setInterval(() => {
          const quiet = active === 0 && Date.now() - lastActivity > 250;
          if (!quiet && Date.now() < deadline) return;
          clearInterval(poll);
          server.close(() => resolve());
          if (quiet) server.closeIdleConnections();
          else server.closeAllConnections();
        }, 50);
      });
    },
  };
}
