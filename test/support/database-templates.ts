import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { SUBGRAPHS } from "../../hub/subgraphs.ts";
import { blankPgliteDump, migratedPgliteDump, openDatabase, pgliteStartParams } from "../../subgraphs/sdk/database.ts";
import { createDatabases, databaseUrl, dropDatabases, TEST_POSTGRES } from "./postgres.ts";

/**
 * Migrated databases every test hub of the run starts from (vitest's
 * globalSetup). Migrating the four owners' databases is most of a hub's
 * start-up, and every test file starts one or more hubs: done once here,
 * each hub copies the result — a PGlite data-folder dump (in-memory hubs), a
 * migrated PGlite data folder (hubs run as processes on DATA_DIR), or a
 * PostgreSQL template database (CREATE DATABASE … TEMPLATE). Tests still
 * migrate anything not listed here (a partner's database) the usual way.
 */
export interface DatabaseTemplates {
  /** What every database of this run is named after (teardown drops `<run>…`). */
  run: string;
  /** Where the PGlite templates are kept for the run. */
  folder: string;
  /** Owner name → a file holding a migrated PGlite data folder dump. */
  pglite: Record<string, string>;
  /** Owner name → a migrated PGlite data folder, to copy into a DATA_DIR. */
  pgliteFolders: Record<string, string>;
  /** Owner name → a migrated PostgreSQL database to copy (when the run is on PostgreSQL). */
  postgres: Record<string, string>;
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseTemplates: DatabaseTemplates;
  }
}

/**
 * Both hub projects (vitest.config.ts) name this set-up; the templates are made once for the run, kept on the
 * main process's global object, and dropped when the last project tears down.
 */
const SHARED = Symbol.for("credit-hub.test-database-templates");
type Shared = { templates: Promise<DatabaseTemplates>; users: number };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const global = globalThis as { [SHARED]?: Shared };
  global[SHARED] ??= { templates: makeTemplates(), users: 0 };
  const shared = global[SHARED];
  shared.users++;
  const templates = await shared.templates;
  project.provide("databaseTemplates", templates);
  return async () => {
    if (--shared.users > 0) return;
    delete global[SHARED];
    rmSync(templates.folder, { recursive: true, force: true });
    if (TEST_POSTGRES) await dropDatabases(TEST_POSTGRES, templates.run);
  };
}

async function makeTemplates(): Promise<DatabaseTemplates> {
  const names = SUBGRAPHS.map((s) => s.name);
  const server = TEST_POSTGRES;
  const run = `credithub_${randomBytes(4).toString("hex")}`;
  const folder = mkdtempSync(join(tmpdir(), "credit-hub-templates-"));
  const templates: DatabaseTemplates = { run, folder, pglite: {}, pgliteFolders: {}, postgres: {} };

  if (server) {
    templates.postgres = await createDatabases(server, `${run}_tpl`, names);
    for (const name of names) {
      const url = databaseUrl(server, templates.postgres[name] as string);
      const opened = await openDatabase(name, { kind: "postgres", url }, () => ({ $disconnect: async () => {} }));
      await opened.close();
    }
    return templates;
  }
  const blank = await blankPgliteDump();
  for (const name of names) {
    const dump = await migratedPgliteDump(name, undefined, blank);
    const file = join(folder, `${name}.tar`);
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    templates.pglite[name] = file;
    const dataDir = join(folder, "folders", name);
    mkdirSync(dataDir, { recursive: true });
    await (await PGlite.create({ dataDir, loadDataDir: dump, startParams: pgliteStartParams() })).close();
    templates.pgliteFolders[name] = dataDir;
  }
  return templates;
}
