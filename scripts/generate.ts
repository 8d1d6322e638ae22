/**
 * Generates every subgraph's Prisma client (prisma/<subgraph>/generated, not
 * committed). Runs after `npm install`; offline, no engine download.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

/** prisma/<subgraph>/schema.prisma, and each example's own (examples/<name>/prisma/schema.prisma). */
const schemaFiles = (root: string, inner: string) =>
  existsSync(root)
    ? readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(`${root}/${entry.name}/${inner}`))
        .map((entry) => `${root}/${entry.name}/${inner}`)
    : [];

for (const schema of [...schemaFiles("prisma", "schema.prisma"), ...schemaFiles("examples", "prisma/schema.prisma")]) {
  const name = schema.replace(/\/(prisma\/)?schema\.prisma$/, "");
  process.stdout.write(`prisma generate: ${name}\n`);
  try {
    execFileSync("npx", ["prisma", "generate", "--no-hints", "--schema", schema], {
      stdio: "pipe",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${stdout ?? ""}${stderr ?? ""}\nGenerating the ${name} Prisma client failed.\n`);
    process.exit(1);
  }
}
