/**
 * npm run migrations:check
 *
 * Fails when a Prisma folder's copy of the SDK's tables differs from its source
 * in subgraphs/sdk/prisma (run `npm run generate` to rewrite the copies), or
 * when a Prisma schema has changes its migrations do not make (run
 * `npm run migration -- <subgraph> <name>` to write them). Offline: each
 * history is replayed into an in-memory PGlite.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { prismaFolders, sdkTableCopies } from "../prisma/sdk-tables.ts";

const folders = prismaFolders();

let stale = 0;
for (const folder of folders)
  for (const { source, copy, expected, actual } of sdkTableCopies(folder))
    if (actual !== expected) {
      stale++;
      process.stdout.write(
        `${copy}: differs from ${source}, the one source of the SDK's tables. Edit ${source}, never a copy; run \`npm run generate\` to rewrite the copies.\n`,
      );
    }

let drifted = 0;
for (const dir of folders.filter((folder) => existsSync(`${folder}/migrations`))) {
  process.stdout.write(`${dir}: `);
  try {
    execFileSync(
      "npx",
      [
        "prisma",
        "migrate",
        "diff",
        "--from-migrations",
        `${dir}/migrations`,
        // The folder: its schema.prisma and its copies of the SDK's tables.
        "--to-schema-datamodel",
        dir,
        "--exit-code",
      ],
      { stdio: "pipe", env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
    );
    process.stdout.write("migrations match the schema\n");
  } catch (error) {
    const { status, stdout, stderr } = error as { status?: number; stdout?: Buffer; stderr?: Buffer };
    drifted++;
    process.stdout.write(
      status === 2
        ? `the schema has changes no migration makes:\n${stdout}\n`
        : `could not compare:\n${stdout ?? ""}${stderr ?? ""}\n`,
    );
  }
}
if (stale) console.error(`${stale} copy(ies) of the SDK's tables differ from subgraphs/sdk/prisma: npm run generate`);
if (drifted)
  console.error(`${drifted} schema(s) out of step with their migrations: npm run migration -- <subgraph> <name>`);
if (stale || drifted) process.exit(1);
