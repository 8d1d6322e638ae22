/**
 * Runs after `npm install`; offline, no engine download. First writes each
 * Prisma folder's copies of the SDK's tables (subgraphs/sdk/prisma/*.prisma →
 * prisma/<subgraph>/, examples/<name>/prisma/; committed), then generates every
 * subgraph's Prisma client from its folder (prisma/<subgraph>/generated, not
 * committed).
 */
import { execFileSync } from "node:child_process";
import { prismaFolders, writeSdkTableCopies } from "../prisma/sdk-tables.ts";

const folders = prismaFolders();
for (const copy of writeSdkTableCopies(folders)) process.stdout.write(`copied the SDK's tables: ${copy}\n`);

for (const folder of folders) {
  const name = folder.replace(/\/prisma$/, "");
  process.stdout.write(`prisma generate: ${name}\n`);
  try {
    // A folder: Prisma reads every .prisma file in it as one schema.
    execFileSync("npx", ["prisma", "generate", "--no-hints", "--schema", folder], {
      stdio: "pipe",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${stdout ?? ""}${stderr ?? ""}\nGenerating the ${name} Prisma client failed.\n`);
    process.exit(1);
  }
}
