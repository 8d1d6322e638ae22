/**
 * npm run migrations:check
 *
 * Fails when a Prisma schema has changes its migrations do not make (run
 * `npm run migration -- <subgraph> <name>` to write them). Offline: each
 * history is replayed into an in-memory PGlite.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const folders = [
  ...readdirSync("prisma").map((d) => `prisma/${d}`),
  ...(existsSync("examples") ? readdirSync("examples").map((d) => `examples/${d}/prisma`) : []),
].filter((dir) => existsSync(`${dir}/schema.prisma`) && existsSync(`${dir}/migrations`));

let drifted = 0;
for (const dir of folders) {
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
        "--to-schema-datamodel",
        `${dir}/schema.prisma`,
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
if (drifted) {
  console.error(`${drifted} schema(s) out of step with their migrations: npm run migration -- <subgraph> <name>`);
  process.exit(1);
}
