import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { CORSOptions } from "graphql-yoga";
import type { CryptoKey } from "jose";
import { authenticationPlugin, type HubContext, hubTokenPlugin } from "./authentication.ts";
import {
  csrfPlugin,
  type EdgeOptions,
  edgeOptionsFromEnv,
  maskError,
  mayIntrospect,
  noSuggestionsPlugin,
  operationLimitsPlugin,
  rateLimitPlugin,
} from "./edge.ts";
import { entityErrorPathsPlugin } from "./error-paths.ts";
import { CLIENT_ADDRESS_HEADER, edgeHttpHandler } from "./http.ts";
import { publicPage } from "./public-page.ts";
import type { RegistryClient } from "./registry-client.ts";

export interface GatewayOptions {
  /** The composed supergraph SDL. */
  supergraph: string;
  /** Where each subgraph listens, overriding the URLs in the supergraph. */
  subgraphUrls: Record<string, string>;
  signingKey: CryptoKey;
  registry: RegistryClient;
  /** The public edge's limits and production switches; from the environment when left out. */
  edge?: EdgeOptions;
}

/** Builds the hub's gateway: a request handler, not yet listening. */
export function createGateway(options: GatewayOptions) {
  const level = (process.env.LOG_LEVEL ?? "info").toLowerCase();
  const edge = options.edge ?? edgeOptionsFromEnv();
  return createGatewayRuntime<HubContext>({
    supergraph: options.supergraph,
    transportEntries: Object.fromEntries(
      Object.entries(options.subgraphUrls).map(([name, location]) => [name, { location }]),
    ),
    // Served from the package: the runtime's default page loads from a CDN.
    renderGraphiQL,
    graphiql: { title: "credit-hub" },
    landingPage: false,
    logging: level as "trace" | "debug" | "info" | "warn" | "error",
    // Subgraph names are internals; clients need the code and path, not who failed.
    subgraphErrors: false,
    ...(edge.scrubErrors
      ? { maskedErrors: { maskError: (error: unknown) => maskError(error) } }
      : { maskedErrors: false }),
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
        allowedHeaders: ["content-type", "x-api-key", "x-purpose", "authorization", "x-request-id"],
      };
    },
    plugins: () => [
      ...(edge.csrfPrevention ? [csrfPlugin()] : []),
      operationLimitsPlugin(edge),
      authenticationPlugin(options.registry),
      rateLimitPlugin(edge, CLIENT_ADDRESS_HEADER),
      noSuggestionsPlugin(edge),
      hubTokenPlugin(options.signingKey, options.registry),
      entityErrorPathsPlugin(),
    ],
  });
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(
  options: GatewayOptions,
  listen: { port: number; host?: string },
): Promise<RunningGateway> {
  const edge = options.edge ?? edgeOptionsFromEnv();
  const gateway = createGateway({ ...options, edge });
  const gatewayFetch = async (url: string, init: RequestInit) => gateway.fetch(url, init);
  const server = createServer(
    edgeHttpHandler({
      edge,
      page: publicPage(gatewayFetch),
      gateway,
      gatewayFetch,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/graphql`,
    async close() {
      await gateway.dispose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
