/**
 * npm run start:subgraph -- <name>
 *
 * One of the hub's subgraphs as its own process (see subgraphs/kit/main.ts for
 * its environment), listening by default on the port the supergraph config gives it.
 */
import type { PrismaClient as RegistryClient } from "../prisma/registry/generated/client.ts";
import { serveSubgraph } from "../subgraphs/kit/main.ts";
import type { SubgraphDefinition } from "../subgraphs/kit/subgraph.ts";
import { bootstrapOperator } from "./bootstrap.ts";
import { SUBGRAPHS } from "./subgraphs.ts";
import { loadSupergraphConfig } from "./supergraph-config.ts";

const name = process.argv[2];
const definition = SUBGRAPHS.find((s) => s.name === name) as
  | SubgraphDefinition<{ $disconnect(): Promise<void> }>
  | undefined;
if (!definition) {
  console.error(`Say which subgraph to run: npm run start:subgraph -- <${SUBGRAPHS.map((s) => s.name).join("|")}>`);
  process.exit(1);
}
const configured = loadSupergraphConfig().find((s) => s.name === definition.name);
const running = await serveSubgraph(definition, Number(new URL(configured?.url ?? "http://localhost:0").port));
// Someone must hold a key before anyone can be admitted: the registry makes the operator's on its first start.
if (running && definition.name === "registry") {
  const operator = await bootstrapOperator(running.db as RegistryClient);
  if (operator)
    console.log(
      `registry: first start; the hub operator's API key (shown once, keep it safe):\n  x-api-key: ${operator.apiKey}`,
    );
}
