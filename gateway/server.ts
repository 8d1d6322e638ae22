import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { CryptoKey } from "jose";
import { authenticationPlugin, type HubContext, hubTokenPlugin } from "./authentication.ts";
import { entityErrorPathsPlugin } from "./error-paths.ts";
import { publicPage } from "./public-page.ts";
import type { RegistryClient } from "./registry-client.ts";

export interface GatewayOptions {
  /** The composed supergraph SDL. */
  supergraph: string;
  /** Where each subgraph listens, overriding the URLs in the supergraph. */
  subgraphUrls: Record<string, string>;
  signingKey: CryptoKey;
  registry: RegistryClient;
}

/** Builds the hub's gateway: a request handler, not yet listening. */
export function createGateway(options: GatewayOptions) {
  const level = (process.env.LOG_LEVEL ?? "info").toLowerCase();
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
    plugins: () => [
      authenticationPlugin(options.registry),
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
  const gateway = createGateway(options);
  const page = publicPage(async (url, init) => gateway.fetch(url, init));
  const server = createServer((req, res) => {
    page(req, res).then(
      (handled) => {
        if (!handled) gateway(req, res);
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ message: "Internal error." }] }));
      },
    );
  });
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
