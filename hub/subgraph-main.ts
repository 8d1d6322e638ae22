/**
 * npm run start:subgraph -- <name>
 *
 * One of the hub's subgraphs as its own process (see subgraphs/sdk/main.ts for
 * its environment), listening by default on the port the supergraph config gives it.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadSettings, settingsOrExit } from "../operations/settings.ts";
import type { PrismaClient as RegistryClient } from "../prisma/registry/generated/client.ts";
import type { SubgraphDefinition } from "../subgraphs/sdk/subgraph.ts";

const name = process.argv[2];
// Every setting checked before the subgraphs' code is even loaded, so the answer comes at once (serveSubgraph
// checks them too, for a partner's process). Printing the SDL needs none of them.
const settings = process.argv.includes("--print-sdl")
  ? loadSettings("subgraph", {})
  : settingsOrExit("subgraph", `${name ?? "credit-hub"} subgraph`);
const { serveSubgraph } = await import("../subgraphs/sdk/main.ts");
const { bootstrapOperator } = await import("./bootstrap.ts");
const { SUBGRAPHS } = await import("./subgraphs.ts");
const { loadSupergraphConfig, standingParts } = await import("./supergraph-config.ts");
const definition = SUBGRAPHS.find((s) => s.name === name) as
  | SubgraphDefinition<{ $disconnect(): Promise<void> }>
  | undefined;
if (!definition) {
  console.error(`Say which subgraph to run: npm run start:subgraph -- <${SUBGRAPHS.map((s) => s.name).join("|")}>`);
  process.exit(1);
}
const config = loadSupergraphConfig();
const configured = config.find((s) => s.name === definition.name);
const running = await serveSubgraph(
  definition,
  Number(new URL(configured?.url ?? "http://localhost:0").port),
  standingParts(config),
);
// Someone must hold a key before anyone can be admitted: the registry makes the operator's on its first start.
if (running && definition.name === "registry") {
  const operator = await bootstrapOperator(running.db as RegistryClient);
  if (operator) {
    if (settings.NODE_ENV === "production") {
      // Never in a log: logs are collected, shipped and kept. A file only this user reads, named instead.
      const dir = join(resolve(settings.DATA_DIR), "keys");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, "operator-api-key");
      writeFileSync(file, `${operator.apiKey}\n`, { mode: 0o600 });
      chmodSync(file, 0o600); // mode applies only to a new file; one left from an earlier start may be wider

      console.log(`registry: first start; the hub operator's API key is in ${file} (readable by this user only).`);
    } else {
      // Outside production, once, on stderr (not with the start-up lines on stdout that a supervisor may keep).
      console.error(
        `registry: first start; the hub operator's API key (shown once, keep it safe):\n  x-api-key: ${operator.apiKey}`,
      );
    }
  }
}
