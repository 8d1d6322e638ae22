/**
 * The comparison point for enforcement: one of the hub's subgraphs served
 * exactly as `npm run start:subgraph` serves it — same database, same hub-token
 * check, same resolvers and batching — but without the permission layer and
 * without the audit log. It exists only here, so that the cost of permissions
 * plus audit is measured rather than assumed; nothing in the hub can start it.
 *
 * All four in one process (none of them is measured on its own; the
 * comparison is the whole request), each on a port of its own.
 * Env: DATA_DIR (keys), DATABASE_URL_<NAME>. Arguments: the subgraphs' names.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JWK } from "jose";
import { SUBGRAPHS } from "../../hub/subgraphs.ts";
import { loadSupergraphConfig, standingParts } from "../../hub/supergraph-config.ts";
import { importHubPublicKey } from "../../protocol/hub-token.ts";
import { loadOrCreateEd25519 } from "../../protocol/keys.ts";
import { databaseLocationFromEnv, openDatabase } from "../../subgraphs/sdk/database.ts";
import { recordSignatures } from "../../subgraphs/sdk/signed-records.ts";
import type { SubgraphDefinition } from "../../subgraphs/sdk/subgraph.ts";
import { startSubgraphServer } from "../../subgraphs/sdk/subgraph-server.ts";

type Client = { $disconnect(): Promise<void> };
const dataDir = process.env.DATA_DIR ?? "data";
const keysDir = join(dataDir, "keys");
const jwk = (file: string) => JSON.parse(readFileSync(join(keysDir, file), "utf8")) as JWK;
const hubPublicKey = await importHubPublicKey(jwk("hub-signing.public.jwk.json"));

async function serve(definition: SubgraphDefinition<Client>): Promise<{ url: string; operatorUrl: string }> {
  const database = await openDatabase(
    definition.name,
    databaseLocationFromEnv(definition.name, dataDir),
    definition.createClient,
    definition.migrations,
  );
  const own = definition.audit ? await loadOrCreateEd25519(`${definition.name}-audit`, keysDir) : null;
  const signatures = await recordSignatures({
    name: definition.name,
    own,
    trusted: Object.fromEntries((definition.trusts ?? []).map((n) => [n, jwk(`${n}-audit.public.jwk.json`)])),
  });
  const running = await startSubgraphServer(
    {
      name: definition.name,
      schema: definition.schema(standingParts(loadSupergraphConfig())),
      db: database.client,
      read: database.read,
      hubPublicKey,
      ready: database.ping,
      internalRoutes: definition.internalRoutes?.(database.client, () => new Date(), database.read),
      loadGrants: definition.loadGrants
        ? (caller) => definition.loadGrants?.(database.client, caller) ?? Promise.resolve([])
        : undefined,
      signatures,
      sqlStatements: database.statements,
    },
    { port: 0, host: "127.0.0.1", operator: { port: 0, host: "127.0.0.1" } },
  );
  return { url: running.url, operatorUrl: running.operatorUrl ?? "" };
}

const urls: Record<string, { url: string; operatorUrl: string }> = {};
for (const name of process.argv.slice(2)) {
  const definition = (SUBGRAPHS as readonly SubgraphDefinition<Client>[]).find((s) => s.name === name);
  if (!definition) throw new Error(`no subgraph ${name}`);
  urls[name] = await serve(definition);
}
console.log(`unenforced subgraphs at ${JSON.stringify(urls)}`);
