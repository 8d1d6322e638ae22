import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { PrismaClient } from "../prisma/registry/generated/client.ts";
import { type DriverAdapter, MigrationError, openDatabase } from "../subgraphs/sdk/database.ts";

/** The hub's own migration runner on embedded PGlite (the PostgreSQL path runs in every hub test under CI's second pass). */

function migrationsDir(migrations: Record<string, string>): URL {
  const dir = mkdtempSync(join(tmpdir(), "credit-hub-migrations-"));
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "migration.sql"), sql);
  }
  return pathToFileURL(`${dir}/`);
}

const createClient = (adapter: DriverAdapter) => new PrismaClient({ adapter });

describe("applying migrations at start", () => {
  it("when a migration fails, then start-up stops with its name and none of its statements stay", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "credit-hub-data-"));
    const dir = migrationsDir({
      "0001_ok": `CREATE TABLE "A" (id int primary key);`,
      "0002_broken": `CREATE TABLE "B" (id int primary key);\nINSERT INTO "Missing" VALUES (1);`,
    });
    await expect(openDatabase("probe", { kind: "pglite", dataDir }, createClient, dir)).rejects.toThrow(
      new MigrationError('probe: migration 0002_broken failed and was rolled back: relation "Missing" does not exist'),
    );
    // Fix the migration and start again: 0001 is not re-run, 0002 applies whole.
    writeFileSync(new URL("0002_broken/migration.sql", dir), `CREATE TABLE "B" (id int primary key);`);
    const db = await openDatabase("probe", { kind: "pglite", dataDir }, createClient, dir);
    const applied = await db.client.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(applied.map((m) => m.migration_name)).toEqual(["0001_ok", "0002_broken"]);
    await db.close();
  });

  it("when an applied migration's file is edited afterwards, then start-up refuses and says how to fix it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "credit-hub-data-"));
    const dir = migrationsDir({ "0001_ok": `CREATE TABLE "A" (id int primary key);` });
    await (await openDatabase("probe", { kind: "pglite", dataDir }, createClient, dir)).close();
    writeFileSync(new URL("0001_ok/migration.sql", dir), `CREATE TABLE "A" (id bigint primary key);`);
    await expect(openDatabase("probe", { kind: "pglite", dataDir }, createClient, dir)).rejects.toThrow(
      /0001_ok was changed after it was applied.*new migration/,
    );
  });

  it("when the PostgreSQL server cannot be reached, then the error names the database without its password", async () => {
    await expect(
      openDatabase(
        "probe",
        { kind: "postgres", url: "postgres://hub:s3cret@127.0.0.1:1/none" },
        createClient,
        migrationsDir({}),
      ),
    ).rejects.toThrow(/Cannot connect to the probe database \(postgres:\/\/hub:\*\*\*@127\.0\.0\.1:1\/none\)/);
  });
});
