/**
 * npm run migration -- <subgraph> <name>
 *
 * Writes prisma/<subgraph>/migrations/<NNNN>_<name>/migration.sql: the SQL that
 * takes a database from the existing migrations to the current schema.prisma.
 * Offline: the existing migrations are replayed into an in-memory PGlite.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";

const [subgraph, rawName] = process.argv.slice(2);
const usage = "usage: npm run migration -- <subgraph> <name>   e.g. npm run migration -- associations add_objections";
if (!subgraph || !rawName) {
  console.error(usage);
  process.exit(2);
}
const schema = `prisma/${subgraph}/schema.prisma`;
const migrations = `prisma/${subgraph}/migrations`;
if (!existsSync(schema)) {
  console.error(
    `No ${schema}. Subgraphs: ${readdirSync("prisma")
      .filter((d) => existsSync(`prisma/${d}/schema.prisma`))
      .join(", ")}`,
  );
  process.exit(2);
}
const name = rawName
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "_")
  .replace(/^_|_$/g, "");
mkdirSync(migrations, { recursive: true });
const existing = readdirSync(migrations)
  .filter((d) => /^\d{4}_/.test(d))
  .sort();
const next = String(existing.length ? Number(existing.at(-1)?.slice(0, 4)) + 1 : 1).padStart(4, "0");

console.log(`Diffing ${existing.length} existing migration(s) of ${subgraph} against ${schema}…`);
const from = existing.length ? ["--from-migrations", migrations] : ["--from-empty"];
let sql: string;
try {
  sql = execFileSync("npx", ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
} catch (error) {
  const { stdout, stderr } = error as { stdout?: string; stderr?: string };
  console.error(`${stdout ?? ""}${stderr ?? ""}\nprisma migrate diff failed.`);
  process.exit(1);
}
if (/This is an empty migration/.test(sql)) {
  console.log("The schema matches the migrations already: nothing to write.");
  process.exit(0);
}
const dir = `${migrations}/${next}_${name}`;
mkdirSync(dir);
writeFileSync(`${dir}/migration.sql`, sql);
console.log(`Wrote ${dir}/migration.sql — review it, then run the tests; it applies at the next start.`);
