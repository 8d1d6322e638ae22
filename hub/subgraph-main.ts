/**
 * npm run start:subgraph -- <name>
 *
 * One subgraph as its own process, for the production layout (each subgraph
 * on its own host and PostgreSQL): PORT, HOST, DATA_DIR (keys; PGlite data if
 * no DATABASE_URL_<NAME>), and the hub's public key as HUB_PUBLIC_KEY (a JWK
 * as JSON) or, by default, DATA_DIR/keys/hub-signing.public.jwk.json.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { JWK } from "jose";
import { databaseLocationFromEnv, MigrationError } from "../subgraphs/kit/database.ts";
import { importHubPublicKey } from "../subgraphs/kit/hub-token.ts";
import { runSubgraph, type SubgraphDefinition } from "../subgraphs/kit/subgraph.ts";
import { DEFAULT_SUBGRAPH_URLS, SUBGRAPHS } from "./subgraphs.ts";

function fail(message: string): never {
  console.error(`credit-hub subgraph could not start: ${message}`);
  process.exit(1);
}

const name = process.argv[2];
const names = SUBGRAPHS.map((s) => s.name);
const definition = SUBGRAPHS.find((s) => s.name === name) as
  | SubgraphDefinition<{ $disconnect(): Promise<void> }>
  | undefined;
if (!definition) fail(`say which subgraph to run: npm run start:subgraph -- <${names.join("|")}>`);

const dataDir = resolve(process.env.DATA_DIR ?? "data");
const port = Number(process.env.PORT ?? new URL(DEFAULT_SUBGRAPH_URLS[definition.name] ?? "http://x:0").port);
const keyFile = join(dataDir, "keys", "hub-signing.public.jwk.json");
let jwk: JWK;
try {
  jwk = JSON.parse(process.env.HUB_PUBLIC_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8") : "null")) as JWK;
} catch {
  fail("HUB_PUBLIC_KEY is not JSON; give the gateway's public key as a JWK.");
}
if (!jwk) fail(`no hub public key: set HUB_PUBLIC_KEY to the gateway's public JWK, or put it at ${keyFile}.`);

const running = await runSubgraph(
  definition,
  {
    database: databaseLocationFromEnv(definition.name, dataDir),
    hubPublicKey: await importHubPublicKey(jwk),
    keysDir: join(dataDir, "keys"),
  },
  { port, host: process.env.HOST ?? "127.0.0.1" },
).catch((error: NodeJS.ErrnoException) => {
  if (error instanceof MigrationError) fail(error.message);
  if (error.code === "EADDRINUSE") fail(`port ${port} is already in use; set PORT.`);
  fail(error.message);
});
console.log(`credit-hub ${definition.name} subgraph at ${running.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
