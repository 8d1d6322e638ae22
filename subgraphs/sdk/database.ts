import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { readSettings } from "../../operations/settings.ts";

/**
 * Where a subgraph keeps its data: an embedded PGlite folder (the default, or
 * in memory for tests), or a PostgreSQL database of its own.
 */
export type DatabaseLocation =
  /** `from`: a PGlite data folder dump to start from (an already migrated copy), for a folder or memory that is still empty. */
  { kind: "pglite"; dataDir: string | null; from?: Blob } | { kind: "postgres"; url: string };

/**
 * Reads rows with plain SQL, past Prisma: for the hot read paths only (the standing check's and the public lookup's
 * loaders), where Prisma 6.19 compiled every statement anew in its WebAssembly query compiler and mapped every row
 * in its interpreter — about 40 % of a subgraph's CPU in a profile of `standings` (Prisma 7 caches query plans,
 * but its CLI downloads a binary and cannot run here). Prisma stays for the schema, migrations and every write.
 * Rows come as Prisma would give them for the model's columns (`SELECT *`): dates as midnight UTC, bigints as
 * `bigint`; enum arrays are not parsed, so select none.
 */
export type SqlReader = <Row>(text: string, values: readonly unknown[]) => Promise<Row[]>;

// pg reads a DATE as local midnight and an INT8 as a string; Prisma (and PGlite) give midnight UTC and a bigint.
const PRISMA_LIKE_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.DATE) return (value: string) => new Date(`${value}T00:00:00Z`);
    if (oid === pg.types.builtins.INT8) return (value: string) => BigInt(value);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export interface Database<Client> {
  client: Client;
  /** Plain SQL reads for hot paths (see SqlReader); counted with the client's statements. */
  read: SqlReader;
  location: DatabaseLocation;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** SQL statements the client has sent so far: how tests and benchmarks see N+1 patterns. */
  statements(): number;
  close(): Promise<void>;
}

/**
 * Counts every statement a driver adapter runs, inside transactions too.
 * Wraps the adapter the client connects through; changes nothing else.
 */
function counting<F extends DriverAdapter>(factory: F, count: { n: number }): F {
  type Runner = { queryRaw(q: unknown): Promise<unknown>; executeRaw(q: unknown): Promise<unknown> };
  const wrap = <T extends Runner>(runner: T): T => {
    const queryRaw = runner.queryRaw.bind(runner);
    const executeRaw = runner.executeRaw.bind(runner);
    runner.queryRaw = (q) => {
      count.n++;
      return queryRaw(q);
    };
    runner.executeRaw = (q) => {
      count.n++;
      return executeRaw(q);
    };
    return runner;
  };
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = wrap(await connect());
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => wrap(await startTransaction(...args));
    return adapter;
  };
  return factory;
}

export class MigrationError extends Error {}

const MIGRATIONS_ROOT = new URL("../../prisma/", import.meta.url);

/** What the generated Prisma clients accept as `adapter`. */
export type DriverAdapter = PrismaPg | PrismaPGlite;

/**
 * Picks the database of one subgraph from the environment:
 * DATABASE_URL_<SUBGRAPH> selects PostgreSQL, otherwise PGlite under
 * <dataDir>/<subgraph>.
 */
export function databaseLocationFromEnv(subgraph: string, dataDir: string, env = process.env): DatabaseLocation {
  const url = env[`DATABASE_URL_${subgraph.toUpperCase()}`];
  return url ? { kind: "postgres", url } : { kind: "pglite", dataDir: join(dataDir, subgraph) };
}

/**
 * Opens a subgraph's database, applies its pending migrations
 * (prisma/<subgraph>/migrations), and builds its Prisma client on a driver
 * adapter. Fails with a MigrationError that names the migration when one does
 * not apply; nothing of that migration is left behind.
 */
export async function openDatabase<Client extends { $disconnect(): Promise<void> }>(
  subgraph: string,
  location: DatabaseLocation,
  createClient: (adapter: DriverAdapter) => Client,
  migrationsDir: URL = new URL(`${subgraph}/migrations/`, MIGRATIONS_ROOT),
): Promise<Database<Client>> {
  const migrations = readMigrations(migrationsDir);
  if (location.kind === "pglite") {
    if (location.dataDir) mkdirSync(location.dataDir, { recursive: true });
    // A folder that already holds a database keeps it: `from` only seeds an empty one.
    const seeded = location.dataDir && existsSync(join(location.dataDir, "PG_VERSION"));
    const pglite = await PGlite.create({
      dataDir: location.dataDir ?? undefined,
      loadDataDir: seeded ? undefined : location.from,
      startParams: pgliteStartParams(),
    });
    try {
      await migrate(subgraph, migrations, pgliteRunner(pglite));
    } catch (error) {
      await pglite.close();
      throw error;
    }
    const count = { n: 0 };
    const client = createClient(counting(new PrismaPGlite(pglite), count));
    return {
      client,
      read: async <Row>(text: string, values: readonly unknown[]) => {
        count.n++;
        return (await pglite.query<Row>(text, [...values])).rows;
      },
      location,
      ping: async () => (await pglite.query("SELECT 1")).rows.length === 1,
      statements: () => count.n,
      close: async () => {
        await client.$disconnect();
        if (!pglite.closed) await pglite.close();
      },
    };
  }

  const pool = new pg.Pool({
    connectionString: location.url,
    max: readSettings(["DATABASE_POOL_SIZE"]).DATABASE_POOL_SIZE,
  });
  pool.on("error", () => {}); // an idle client's connection dropped; the pool replaces it
  const conn = await pool.connect().catch((error: Error) => {
    void pool.end();
    throw new MigrationError(
      `Cannot connect to the ${subgraph} database (${redactUrl(location.url)}): ${error.message}`,
    );
  });
  try {
    // One migrator at a time per database, even with several replicas starting together.
    await conn.query("SELECT pg_advisory_lock($1)", [advisoryKey(subgraph)]);
    await migrate(subgraph, migrations, {
      query: async (sql, params) => (await conn.query(sql, params)).rows,
      exec: async (sql) => void (await conn.query(sql)),
    });
  } catch (error) {
    conn.release();
    await pool.end();
    throw error;
  }
  await conn.query("SELECT pg_advisory_unlock($1)", [advisoryKey(subgraph)]);
  conn.release();
  const count = { n: 0 };
  const client = createClient(counting(new PrismaPg(pool), count));
  return {
    client,
    read: async <Row>(text: string, values: readonly unknown[]) => {
      count.n++;
      return (await pool.query({ text, values: [...values], types: PRISMA_LIKE_TYPES })).rows as Row[];
    },
    location,
    ping: async () => (await pool.query("SELECT 1")).rows.length === 1,
    statements: () => count.n,
    close: async () => {
      await client.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

/**
 * A dump of a new in-memory PGlite database with every migration of this
 * subgraph applied: what tests start their databases from (`from` above), so
 * that each test hub copies a migrated database instead of migrating anew.
 */
export function migratedPgliteDump(subgraph: string, migrationsDir?: URL, blank?: Blob): Promise<Blob> {
  const migrations = readMigrations(migrationsDir ?? new URL(`${subgraph}/migrations/`, MIGRATIONS_ROOT));
  return pgliteDump(blank, (pglite) => migrate(subgraph, migrations, pgliteRunner(pglite)));
}

/**
 * A dump of a new, empty PGlite database: creating one runs initdb (seconds), loading this dump does not. For
 * making several owners' migrated dumps in a row (`blank` above).
 */
export const blankPgliteDump = (): Promise<Blob> => pgliteDump(undefined, async () => {});

async function pgliteDump(from: Blob | undefined, prepare: (pglite: PGlite) => Promise<void>): Promise<Blob> {
  const pglite = await PGlite.create({ loadDataDir: from, startParams: pgliteStartParams() });
  try {
    await prepare(pglite);
    return await pglite.dumpDataDir("none");
  } finally {
    await pglite.close();
  }
}

/** PGlite's own start parameters with the buffer cache PGLITE_SHARED_BUFFERS sets. */
export function pgliteStartParams(): string[] {
  const { PGLITE_SHARED_BUFFERS } = readSettings(["PGLITE_SHARED_BUFFERS"]);
  return [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: URL): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(new URL(`${name}/migration.sql`, dir), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<void>;
}

function pgliteRunner(pglite: PGlite): SqlRunner {
  return {
    query: async (sql, params) => (await pglite.query<Record<string, unknown>>(sql, params)).rows,
    exec: async (sql) => void (await pglite.exec(sql)),
  };
}

/**
 * Applies pending migrations in order, each in its own transaction, and records
 * them in Prisma's own `_prisma_migrations` table, so `prisma migrate status`
 * and `prisma migrate deploy` agree with what the hub did.
 */
async function migrate(subgraph: string, migrations: Migration[], db: SqlRunner): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  const applied = await db.query(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const done = new Map(applied.map((row) => [String(row.migration_name), row]));
  for (const migration of migrations) {
    const row = done.get(migration.name);
    if (row) {
      if (!row.finished_at)
        throw new MigrationError(
          `${subgraph}: migration ${migration.name} was started but never finished. Inspect the database, then mark it rolled back (prisma migrate resolve) before starting again.`,
        );
      if (row.checksum !== migration.checksum)
        throw new MigrationError(
          `${subgraph}: migration ${migration.name} was changed after it was applied. Restore the original file and put the change in a new migration.`,
        );
      continue;
    }
    try {
      await db.exec("BEGIN");
      await db.exec(migration.sql);
      await db.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await db.exec("COMMIT");
    } catch (error) {
      await db.exec("ROLLBACK").catch(() => {});
      throw new MigrationError(
        `${subgraph}: migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
      );
    }
  }
}

function advisoryKey(subgraph: string): number {
  return createHash("sha256").update(`credit-hub:migrate:${subgraph}`).digest().readInt32BE(0);
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * A unique-constraint violation, however it surfaces: Prisma's P2002 (the
 * pg adapter maps it), or the raw PostgreSQL 23505 that the PGlite adapter
 * passes through as the error's cause.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } | null;
  if (typeof e !== "object" || e === null) return false;
  return (
    e.code === "P2002" ||
    e.cause?.kind === "UniqueConstraintViolation" ||
    e.cause?.code === "23505" ||
    e.cause?.originalCode === "23505"
  );
}
