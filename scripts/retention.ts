/**
 * npm run retention [-- --now 2031-01-01T00:00:00Z]
 *
 * Purges what each data owner keeps past retention (negative records five
 * years after the behaviour ended), recording every purge in its audit log.
 * The hub also runs this itself every RETENTION_INTERVAL_HOURS. --now runs it
 * as of another date, for rehearsing what a future run will remove.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { openOwnerDatabases } from "../hub/owner-databases.ts";

const { values } = parseArgs({ options: { now: { type: "string" }, data: { type: "string" } } });
const now = values.now ? new Date(values.now) : new Date();
if (Number.isNaN(now.getTime())) {
  console.error(`--now must be an ISO date, e.g. 2031-01-01T00:00:00Z; got ${values.now}`);
  process.exit(2);
}
const dataDir = resolve(values.data ?? process.env.DATA_DIR ?? "data");
try {
  for (const owner of await openOwnerDatabases(dataDir)) {
    try {
      if (!owner.retention) continue;
      process.stdout.write(`${owner.name}: purging records past retention as of ${now.toISOString()}… `);
      console.log(`${await owner.retention(now)} purged.`);
    } finally {
      await owner.close();
    }
  }
} catch (error) {
  console.error(`retention could not run: ${(error as Error).message}`);
  process.exit(2);
}
