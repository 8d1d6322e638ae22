/**
 * The comparison point for the hub's gateway: a plain @graphql-hive/gateway-runtime
 * on the same supergraph, with none of the hub's plugins (no authentication,
 * edge limits, CSRF, rate limits, error scrubbing, trusted documents) — only
 * the hub-token plugin, without which the subgraphs answer nothing. Callers are
 * anonymous. PLANNER=rust swaps in @graphql-hive/router-runtime's query planner. CEILING=1 leaves out the
 * hub-token plugin too: the runtime as it comes, in front of the ceiling's owners (bench/ceiling), which ask for
 * no token.
 *
 * Env: PORT, DATA_DIR (the hub's signing key), SUBGRAPH_URL_<NAME>, SUPERGRAPH_FILE, PLANNER, CEILING.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { loadOrCreateSigningKeys } from "../../gateway/keys.ts";
import { registryClient } from "../../gateway/registry-client.ts";
import { useHubToken } from "../../gateway/useHubToken.ts";

const env = process.env;
const ceiling = env.CEILING === "1";
const keys = ceiling ? null : await loadOrCreateSigningKeys(join(env.DATA_DIR ?? "data", "keys"));
const urls = Object.fromEntries(
  Object.entries(env)
    .filter(([k]) => k.startsWith("SUBGRAPH_URL_"))
    .map(([k, v]) => [k.slice("SUBGRAPH_URL_".length).toLowerCase(), String(v)]),
);
const rust = env.PLANNER === "rust" ? await import("@graphql-hive/router-runtime") : null;
const runtime = createGatewayRuntime({
  supergraph: readFileSync(String(env.SUPERGRAPH_FILE), "utf8"),
  // As in the hub: no sharing of one subgraph answer among identical concurrent requests.
  transportEntries: Object.fromEntries(
    Object.entries(urls).map(([name, location]) => [
      name,
      { location, options: { deduplicateInflightRequests: false } },
    ]),
  ),
  logging: "error",
  ...(rust ? { unifiedGraphHandler: rust.unifiedGraphHandler } : {}),
  plugins: () => (keys ? [useHubToken(keys.privateKey, registryClient(urls.registry ?? "", keys.privateKey))] : []),
});
const server = createServer(runtime);
server.listen(Number(env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  console.log(
    `plain gateway at http://127.0.0.1:${port}/graphql (planner: ${rust ? "rust" : "default"}${ceiling ? ", ceiling" : ""})`,
  );
});
