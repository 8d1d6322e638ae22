/**
 * npm run audit:verify [-- --checkpoints kept.json]
 *
 * Checks every data owner's audit chain: each entry's hash, each link, no
 * gaps, and every signed checkpoint — those in the owner's database and those
 * in a file someone kept (the JSON of `<owner>AuditCheckpoints`, as
 * {"associations": [...]}). Prints the first broken entry; exits 1 on damage.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { openOwnerDatabases } from "../hub/owner-databases.ts";
import { verifyOwnerAudit } from "../subgraphs/kit/audit.ts";

const { values } = parseArgs({
  options: { checkpoints: { type: "string" }, data: { type: "string" }, help: { type: "boolean", short: "h" } },
});
if (values.help) {
  console.log("usage: npm run audit:verify [-- --checkpoints kept.json] [--data DIR]");
  process.exit(0);
}
const dataDir = resolve(values.data ?? process.env.DATA_DIR ?? "data");
const kept = values.checkpoints
  ? (JSON.parse(readFileSync(values.checkpoints, "utf8")) as Record<
      string,
      { seq: string; hash: string; signature: string }[]
    >)
  : {};

let damaged = false;
try {
  const owners = await openOwnerDatabases(dataDir);
  if (owners.length === 0) console.log(`No audit logs under ${dataDir} (has the hub run yet?).`);
  for (const owner of owners) {
    try {
      process.stdout.write(`${owner.name}: verifying… `);
      const extra = (kept[owner.name] ?? []).map((c) => ({ ...c, seq: BigInt(c.seq) }));
      const result = await verifyOwnerAudit(owner.audit, owner.publicJwk(), extra);
      if (result.ok) console.log(`${result.entries} entries, ${result.checkpoints} checkpoints: chain intact.`);
      else {
        damaged = true;
        console.log(
          `BROKEN at entry ${result.problem?.seq}: ${result.problem?.reason} (${result.entries} entries read).`,
        );
      }
    } finally {
      await owner.close();
    }
  }
} catch (error) {
  console.error(`audit:verify could not run: ${(error as Error).message}`);
  process.exit(2);
}
process.exit(damaged ? 1 : 0);
