import pg from "pg";

/**
 * The test run's PostgreSQL databases, on the server CREDIT_HUB_TEST_POSTGRES
 * names: every one is called `<run>_…`, so the run's teardown drops whatever a
 * worker left behind (a shared hub is never closed, a crashed worker closes nothing).
 */
export const TEST_POSTGRES = process.env.CREDIT_HUB_TEST_POSTGRES;

/** The server's URL with another database in it. */
export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(server: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Creates `<prefix>_<name>` for each name, copied from `templates[name]` when there is one; returns name → database. */
export function createDatabases(
  server: string,
  prefix: string,
  names: readonly string[],
  templates: Record<string, string> = {},
): Promise<Record<string, string>> {
  return withAdmin(server, async (admin) => {
    const created: Record<string, string> = {};
    for (const name of names) {
      const db = `${prefix}_${name}`;
      const template = templates[name];
      await admin.query(`CREATE DATABASE "${db}"${template ? ` TEMPLATE "${template}"` : ""}`);
      created[name] = db;
    }
    return created;
  });
}

/** Drops every database whose name starts with `prefix` (connections and all). */
export function dropDatabases(server: string, prefix: string): Promise<void> {
  return withAdmin(server, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
