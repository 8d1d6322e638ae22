/**
 * npm start — the whole hub on one machine: every subgraph on embedded
 * PGlite under ./data (or PostgreSQL per DATABASE_URL_<SUBGRAPH>), the gateway
 * in front, demo organisations seeded on first start.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { OperatorOptions } from "../gateway/operator.ts";
import { settingsOrExit } from "../operations/settings.ts";
import type { PrismaClient as RegistryClient } from "../prisma/registry/generated/client.ts";
import type { DemoCredential } from "./seed.ts";

// Every setting checked before anything starts (before the hub's code is even loaded): a bad one stops the hub
// here, at once, named, with what it expects.
const settings = settingsOrExit("hub", "credit-hub");
const { graphiqlFromEnv, operatorOptionsFromEnv } = await import("../gateway/operator.ts");
const { MigrationError } = await import("../subgraphs/sdk/database.ts");
const { bootstrapOperator, OPERATOR_NAME } = await import("./bootstrap.ts");
const { seedDemo } = await import("./seed.ts");
const { startHub } = await import("./start.ts");
const dataDir = resolve(settings.DATA_DIR);
const port = settings.PORT ?? 4000;
const host = settings.HOST;
const credentialsFile = join(dataDir, "demo-credentials.json");

function fail(message: string): never {
  console.error(`\ncredit-hub could not start: ${message}`);
  process.exit(1);
}

// In production no API key is ever printed: they stay in the 0600 credentials file, which is named instead.
const production = settings.NODE_ENV === "production";
let operatorOptions: OperatorOptions;
let graphiql = false;
try {
  operatorOptions = operatorOptionsFromEnv(port);
  graphiql = graphiqlFromEnv();
} catch (error) {
  fail((error as Error).message);
}
mkdirSync(dataDir, { recursive: true });
holdDataLock(join(dataDir, "hub.lock"));

console.log(`credit-hub: starting (data in ${dataDir})`);
const hub = await startHub({ dataDir, port, host, operator: operatorOptions }).catch((error: NodeJS.ErrnoException) => {
  if (error instanceof MigrationError) fail(error.message);
  if (error.code === "EADDRINUSE" && /OPERATOR_PORT/.test(error.message)) fail(error.message);
  if (error.code === "EADDRINUSE")
    fail(`port ${port} is already in use. Stop what uses it, or set PORT to another port.`);
  fail(`${error.message}\n${error.stack ?? ""}`);
});

const operator = await bootstrapOperator(hub.subgraphs.registry?.db as RegistryClient);
if (operator) {
  console.log("credit-hub: first start, seeding demo organisations and members…");
  try {
    const credentials: Record<string, DemoCredential> = {
      [OPERATOR_NAME]: {
        type: "HUB",
        organisationId: operator.organisationId,
        apiKey: operator.apiKey,
        roles: ["OPERATOR", "ADMIN"],
      },
      ...(await seedDemo(hub.url, operator.apiKey, (step) => console.log(`  - ${step}`))),
    };
    writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    await hub.close();
    fail(`seeding the demo failed (${(error as Error).message}). Delete ${dataDir} and start again.`);
  }
}

const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host === "127.0.0.1" ? "localhost" : host;
const base = hub.url.replace("localhost", shown).replace(/\/graphql$/, "");
console.log(`
credit-hub is running.
  ${graphiql ? "GraphQL API and GraphiQL" : "GraphQL API             "}   ${base}/graphql
  health                     ${base}/healthcheck
  operator (this host only)  ${hub.operatorUrl}/metrics  ${hub.operatorUrl}/readiness  ${hub.operatorUrl}/health/subgraphs
                             each subgraph's: ${hub.operatorUrl}/subgraphs/<name>/metrics, …/readiness
  subgraphs                  ${Object.values(hub.subgraphs)
    .map((s) => `${s.name} ${s.url}`)
    .join(", ")}
  demo credentials           ${credentialsFile}`);
if (production) {
  console.log("    (API keys are not printed in production: read them from that file, readable by this user only)");
} else if (existsSync(credentialsFile)) {
  const credentials = JSON.parse(readFileSync(credentialsFile, "utf8")) as Record<string, DemoCredential>;
  for (const [name, c] of Object.entries(credentials))
    console.log(`    ${c.type.padEnd(13)} ${name}\n                  x-api-key: ${c.apiKey}`);
} else {
  console.log("    (no demo credentials file: this data folder was not seeded by this hub)");
}
console.log("Stop with Ctrl-C.");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\ncredit-hub: ${signal}, shutting down…`);
    hub.close().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

/** PGlite must have one process per data folder: refuse to start a second hub on the same one. */
function holdDataLock(lockFile: string) {
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid))
      fail(`another credit-hub (pid ${pid}) is using ${dataDir}. Stop it, or set DATA_DIR to another folder.`);
  }
  writeFileSync(lockFile, String(process.pid));
  process.on("exit", () => rmSync(lockFile, { force: true }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
