import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { loadOrCreateSigningKeys } from "../gateway/keys.ts";
import { SUBGRAPHS } from "../hub/subgraphs.ts";
import { openDatabase } from "../subgraphs/sdk/database.ts";
import type { SubgraphDefinition } from "../subgraphs/sdk/subgraph.ts";
import { type DatasetSize, databaseNames } from "./dataset.ts";
import { type SeededParties, seedDataset } from "./seed.ts";

/** A seeded data set: its databases, the folder with the keys its processes share, and who is who in it. */
export interface Dataset {
  size: DatasetSize;
  urls: Record<string, string>;
  dataDir: string;
  parties: SeededParties;
}

const OWNERS = ["registry", "associations", "industry", "bureaus"] as const;
const DATA_ROOT = fileURLToPath(new URL(".data/", import.meta.url));

/**
 * The data set of this size: found again when an earlier run seeded it (and
 * its keys are still here), else created, migrated and seeded. Seeding 100k
 * enterprises takes minutes; reusing it makes repeated runs cheap.
 */
export async function ensureDataset(
  adminUrl: string,
  size: DatasetSize,
  options: { fresh: boolean; progress: (message: string) => void },
): Promise<Dataset> {
  const names = databaseNames(size, OWNERS);
  const urls = Object.fromEntries(
    OWNERS.map((o) => {
      const url = new URL(adminUrl);
      url.pathname = `/${names[o]}`;
      return [o, url.toString()];
    }),
  ) as Record<(typeof OWNERS)[number], string>;
  const dataDir = join(DATA_ROOT, `e${size.enterprises}_r${size.records}`);
  const label = `${size.enterprises} enterprises, ${size.records} records`;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect().catch((error: Error) => {
    throw new Error(`cannot reach PostgreSQL at ${adminUrl} (${error.message}); set BENCH_POSTGRES to a server URL.`);
  });
  try {
    if (!options.fresh && existsSync(join(dataDir, "keys"))) {
      const found = await seededParties(urls.registry).catch(() => null);
      if (found) {
        options.progress(`data set (${label}) found seeded; reusing it`);
        return { size, urls, dataDir, parties: found };
      }
    }
    options.progress(`creating the data set (${label})…`);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    // The gateway's signing key, whose public half every subgraph process reads from here (`npm run hub -- signing-key`).
    await loadOrCreateSigningKeys(join(dataDir, "keys"));
    for (const owner of OWNERS) {
      await admin.query(`DROP DATABASE IF EXISTS "${names[owner]}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${names[owner]}"`);
      const definition = (SUBGRAPHS as readonly SubgraphDefinition<{ $disconnect(): Promise<void> }>[]).find(
        (s) => s.name === owner,
      );
      if (!definition) throw new Error(`no subgraph ${owner}`);
      const db = await openDatabase(
        owner,
        { kind: "postgres", url: urls[owner] },
        definition.createClient,
        definition.migrations,
      );
      await db.close();
    }
    const parties = await seedDataset(urls, size, (m) => options.progress(`  ${m}`));
    const registry = new pg.Client({ connectionString: urls.registry });
    await registry.connect();
    // Marks the set complete: a run interrupted while seeding is seeded again next time.
    await registry.query(`CREATE TABLE "BenchDataset" (parties jsonb NOT NULL)`);
    await registry.query(`INSERT INTO "BenchDataset" VALUES ($1)`, [JSON.stringify(parties)]);
    await registry.end();
    return { size, urls, dataDir, parties };
  } finally {
    await admin.end();
  }
}

async function seededParties(registryUrl: string): Promise<SeededParties | null> {
  const client = new pg.Client({ connectionString: registryUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ parties: SeededParties }>(`SELECT parties FROM "BenchDataset"`);
    return rows[0]?.parties ?? null;
  } finally {
    await client.end();
  }
}
