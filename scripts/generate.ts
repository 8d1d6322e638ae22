/**
 * Generates every subgraph's Prisma client (prisma/<subgraph>/generated, not
 * committed). Runs after `npm install`; offline, no engine download.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const subgraphs = readdirSync("prisma", { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`prisma/${entry.name}/schema.prisma`))
  .map((entry) => entry.name);

for (const name of subgraphs) {
  process.stdout.write(`prisma generate: ${name}\n`);
  try {
    execFileSync("npx", ["prisma", "generate", "--no-hints", "--schema", `prisma/${name}/schema.prisma`], {
      stdio: "pipe",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${stdout ?? ""}${stderr ?? ""}\nGenerating the ${name} Prisma client failed.\n`);
    process.exit(1);
  }
}
