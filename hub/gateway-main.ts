/**
 * npm run start:gateway — the gateway alone, in front of subgraphs that run
 * as their own processes (npm run start:subgraph -- <name>), each on its own
 * host and database:
 *
 * - PORT (4000), HOST (127.0.0.1)
 * - OPERATOR_PORT (PORT + 100), OPERATOR_HOST (127.0.0.1): /metrics, /readiness, /health/subgraphs
 * - HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS; GRAPHIQL; LOG_LEVEL
 * - the subgraphs' URLs from supergraph.config.json, SUBGRAPH_URL_<NAME> overriding;
 *   SUPERGRAPH_FILE to serve a composed supergraph file instead of composing at start
 * - HUB_SIGNING_KEY (an Ed25519 private JWK), or DATA_DIR/keys/hub-signing.jwk.json
 *   (`npm run keys` makes it; give its public half to every subgraph)
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { OperatorOptions } from "../gateway/operator.ts";
import { settingsOrExit } from "../operations/settings.ts";

function fail(message: string): never {
  console.error(`credit-hub gateway could not start: ${message}`);
  process.exit(1);
}

// Every setting checked before anything starts: a bad one stops the gateway here, named, with what it expects.
// Checked before the gateway's code is even loaded, so the answer comes at once.
const settings = settingsOrExit("gateway", "credit-hub gateway");
const { buildASTSchema, parse } = await import("graphql");
const { startGateway } = await import("../gateway/create-gateway.ts");
const { loadOrCreateSigningKeys } = await import("../gateway/keys.ts");
const { operatorOptionsFromEnv } = await import("../gateway/operator.ts");
const { registryClient } = await import("../gateway/registry-client.ts");
const { composeSupergraph, keepLastGood } = await import("./compose.ts");
const { loadSupergraphConfig } = await import("./supergraph-config.ts");
const port = settings.PORT ?? 4000;
const dataDir = resolve(settings.DATA_DIR);
let operator: OperatorOptions;
try {
  operator = operatorOptionsFromEnv(port);
} catch (error) {
  fail((error as Error).message);
}

const supergraphFile = settings.SUPERGRAPH_FILE;
// Read or composed again every SUPERGRAPH_POLL_SECONDS; a file that does not parse or a config that does not
// compose leaves the last good supergraph in service.
const supergraph = keepLastGood(
  () => {
    if (!supergraphFile) return composeSupergraph(loadSupergraphConfig());
    const text = readFileSync(supergraphFile, "utf8");
    buildASTSchema(parse(text), { assumeValidSDL: true });
    return text;
  },
  (error) =>
    console.error(
      JSON.stringify({
        level: "warn",
        msg: "supergraph not reloaded; still serving the last one",
        error: error.message,
      }),
    ),
);
let config: ReturnType<typeof loadSupergraphConfig> = [];
try {
  config = loadSupergraphConfig();
  supergraph();
} catch (error) {
  fail((error as Error).message);
}
const registry = config.find((s) => s.name === "registry");
if (!registry) fail("the supergraph config has no registry subgraph.");
const keys = await loadOrCreateSigningKeys(join(dataDir, "keys")).catch((error: Error) => fail(error.message));

const gateway = await startGateway(
  {
    supergraph,
    pollMs: settings.SUPERGRAPH_POLL_SECONDS * 1000,
    subgraphUrls: Object.fromEntries(config.map((s) => [s.name, s.url])),
    signingKey: keys.privateKey,
    registry: registryClient(registry.url, keys.privateKey, { seconds: settings.REGISTRY_CACHE_SECONDS }),
  },
  { port, host: settings.HOST },
  operator,
).catch((error: NodeJS.ErrnoException) =>
  fail(
    error.code === "EADDRINUSE" && !/OPERATOR_PORT/.test(error.message)
      ? `port ${port} is already in use; set PORT.`
      : error.message,
  ),
);
console.log(
  `credit-hub gateway at ${gateway.url} (subgraphs: ${config.map((s) => s.name).join(", ")}); operator at ${gateway.operatorUrl}`,
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
