import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { SUBGRAPHS } from "../../hub/subgraphs.ts";
import { migratedPgliteDump, openDatabase } from "../../subgraphs/sdk/database.ts";

/**
 * Migrated databases every test hub of the run starts from (vitest's
 * globalSetup). Migrating the four owners' databases is most of a hub's
 * start-up, and every test file starts one or more hubs: done once here,
 * each hub copies the result — a PGlite data-folder dump, or a PostgreSQL
 * template database (CREATE DATABASE … TEMPLATE). Tests still migrate
 * anything not listed here (a partner's database) the usual way.
 */
export interface DatabaseTemplates {
  /** Owner name → a file holding a migrated PGlite data folder dump. */
  pglite: Record<string, string>;
  /** Owner name → a migrated PostgreSQL database to copy (when the run is on PostgreSQL). */
  postgres: Record<string, string>;
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseTemplates: DatabaseTemplates;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const names = SUBGRAPHS.map((s) => s.name);
  const server = process.env.CREDIT_HUB_TEST_POSTGRES;
  const templates: DatabaseTemplates = { pglite: {}, postgres: {} };
  const folder = mkdtempSync(join(tmpdir(), "credit-hub-templates-"));
  const created: string[] = [];

  if (server) {
    const run = `credithub_tpl${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      for (const name of names) {
        const db = `${run}_${name}`;
        await admin.query(`CREATE DATABASE "${db}"`);
        created.push(db);
        const url = new URL(server);
        url.pathname = `/${db}`;
        const opened = await openDatabase(name, { kind: "postgres", url: url.toString() }, () => ({
          $disconnect: async () => {},
        }));
        await opened.close();
        templates.postgres[name] = db;
      }
    } finally {
      await admin.end();
    }
  } else {
    for (const name of names) {
      const file = join(folder, `${name}.tar`);
      writeFileSync(file, Buffer.from(await (await migratedPgliteDump(name)).arrayBuffer()));
      templates.pglite[name] = file;
    }
  }
  project.provide("databaseTemplates", templates);

  return async () => {
    rmSync(folder, { recursive: true, force: true });
    if (!server || created.length === 0) return;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    for (const db of created) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
  };
}
