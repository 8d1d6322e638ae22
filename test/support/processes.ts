import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateSigningKeys } from "../../gateway/keys.ts";
import { mustGraphql } from "../../hub/client.ts";
import { freePort, type Spawned, startTsx } from "../../hub/spawn.ts";
import { SUBGRAPHS } from "../../hub/subgraphs.ts";
import { seedDataFolder, testDatabases } from "./hub.ts";

/**
 * The production layout for a test: every subgraph its own process on its own
 * database (PostgreSQL in CI's second pass, a PGlite folder each otherwise),
 * the gateway another, configured by environment only — started the way an
 * operator would, on databases already migrated (seedDataFolder) (`npm run keys`, `npm run start:subgraph -- <name>` for each,
 * `npm run start:gateway`).
 */
export interface ProductionProcesses {
  dataDir: string;
  /** Each subgraph's public port. */
  ports: Record<string, number>;
  /** The subgraphs in start order, then the gateway. */
  processes: Spawned[];
  gatewayUrl: string;
  /** Kills whatever still runs and drops the test databases. */
  close(): Promise<void>;
}

export async function startProductionProcesses(options: {
  /** A prefix for the data folder's name. */
  name: string;
  /** Every process's environment, over DATA_DIR, OPERATOR_PORT=0 and the subgraphs' URLs and databases. */
  env: Record<string, string>;
  /** The registry's line once it has made the operator's key on its first start. */
  registryReady: RegExp;
}): Promise<ProductionProcesses> {
  const dataDir = mkdtempSync(join(tmpdir(), `credit-hub-${options.name}-`));
  seedDataFolder(dataDir);
  await loadOrCreateSigningKeys(join(dataDir, "keys")); // `npm run keys`
  const names = SUBGRAPHS.map((s) => s.name);
  const { databases, drop } = await testDatabases(names);
  const processes: Spawned[] = [];
  const close = async () => {
    await Promise.all(processes.map((p) => p.stop({ graceMs: 0, signal: "SIGKILL" })));
    await drop();
  };
  try {
    const ports: Record<string, number> = {};
    for (const n of names) ports[n] = await freePort();
    // Each process's operator address on a free port of its own (printed at start).
    const shared: Record<string, string> = { DATA_DIR: dataDir, OPERATOR_PORT: "0" };
    for (const n of names) {
      shared[`SUBGRAPH_URL_${n.toUpperCase()}`] = `http://127.0.0.1:${ports[n]}/graphql`;
      const db = databases[n];
      if (db?.kind === "postgres") shared[`DATABASE_URL_${n.toUpperCase()}`] = db.url;
    }
    Object.assign(shared, options.env);
    // In start order: the bureaus trust the associations' key, which the associations write on their first start.
    for (const n of names)
      processes.push(
        await startTsx({
          name: n,
          script: ["hub/subgraph-main.ts", n],
          env: { ...shared, PORT: String(ports[n]) },
          ready: n === "registry" ? options.registryReady : /subgraph at http/,
        }),
      );
    const gatewayPort = await freePort();
    processes.push(
      await startTsx({
        name: "gateway",
        script: ["hub/gateway-main.ts"],
        env: { ...shared, PORT: String(gatewayPort) },
        ready: /operator at http\S+\n/,
      }),
    );
    return { dataDir, ports, processes, gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** An association the operator admits, with a STAFF key, that registers a new enterprise at the gateway. */
export async function associationRegisters(
  gatewayUrl: string,
  operatorKey: string,
  names: { association: string; enterprise: string; uscc: string },
): Promise<{ associationId: string; key: string }> {
  const { createOrganisation } = await mustGraphql<{ createOrganisation: { id: string } }>(
    gatewayUrl,
    `mutation ($n: String!) { createOrganisation(input: { name: $n, type: ASSOCIATION }) { id } }`,
    { n: names.association },
    { apiKey: operatorKey },
  );
  const { issueApiKey } = await mustGraphql<{ issueApiKey: { key: string } }>(
    gatewayUrl,
    `mutation ($o: ID!) { issueApiKey(input: { organisationId: $o, label: "t", roles: [STAFF] }) { key } }`,
    { o: createOrganisation.id },
    { apiKey: operatorKey },
  );
  await mustGraphql(
    gatewayUrl,
    `mutation ($u: USCC!, $n: String!) { registerEnterprise(input: { uscc: $u, name: $n }) { uscc } }`,
    { u: names.uscc, n: names.enterprise },
    { apiKey: issueApiKey.key },
  );
  return { associationId: createOrganisation.id, key: issueApiKey.key };
}
