/**
 * npm run bureau-sync -- --key <the bureau's API key> [--gateway <url>] [--every <seconds>]
 *
 * Brings a bureau's copy of the records associations share with it up to date
 * (see hub/bureau-sync.ts). Once by default; with --every, again and again.
 */
import { parseArgs } from "node:util";
import { syncBureau } from "../hub/bureau-sync.ts";
import { settingsOrExit } from "../operations/settings.ts";

const usage =
  "usage: npm run bureau-sync -- --key <bureau API key> [--gateway http://localhost:4000/graphql] [--every <seconds>]";
let values: { key?: string; gateway?: string; every?: string };
try {
  ({ values } = parseArgs({
    options: { key: { type: "string" }, gateway: { type: "string" }, every: { type: "string" } },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const key = values.key ?? settingsOrExit("cli", "bureau-sync").BUREAU_API_KEY;
if (!key) {
  console.error(`Give the bureau's API key (--key or BUREAU_API_KEY).\n${usage}`);
  process.exit(2);
}
const gateway = values.gateway ?? "http://localhost:4000/graphql";
const every = values.every === undefined ? 0 : Number(values.every);
if (!(every >= 0)) {
  console.error(`--every must be a number of seconds.\n${usage}`);
  process.exit(2);
}

for (;;) {
  try {
    const r = await syncBureau(gateway, key, (m) => console.log(m));
    console.log(
      `bureau sync: ${r.applied} applied, ${r.unchanged} unchanged, ${r.removed} removed; cursor ${r.cursor ?? "(start)"}`,
    );
  } catch (error) {
    console.error(`bureau sync failed: ${(error as Error).message}`);
    if (!every) process.exit(1);
  }
  if (!every) break;
  await new Promise((r) => setTimeout(r, every * 1000));
}
