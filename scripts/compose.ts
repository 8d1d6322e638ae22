/**
 * npm run compose — prints every subgraph's SDL and the composed supergraph
 * into schema/. With --check, changes nothing and fails when they drift.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { composeSchemaFiles, driftedSchemaFiles } from "../hub/compose.ts";

const check = process.argv.includes("--check");
try {
  const files = composeSchemaFiles();
  const drifted = driftedSchemaFiles(files);
  if (check) {
    if (drifted.length) {
      console.error(
        `Out of date: ${drifted.map((f) => fileURLToPath(f.url)).join(", ")}\nRun \`npm run compose\` and commit the result.`,
      );
      process.exit(1);
    }
    console.log(`schema/ is up to date (${files.length} files).`);
  } else {
    for (const file of drifted) writeFileSync(file.url, file.content);
    console.log(
      drifted.length
        ? `Wrote ${drifted.map((f) => fileURLToPath(f.url)).join(", ")}`
        : "schema/ was already up to date.",
    );
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
