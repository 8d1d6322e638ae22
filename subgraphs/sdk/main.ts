import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { printSubgraphSchema } from "@apollo/subgraph";
import type { JWK } from "jose";
import {
  type HttpTimeouts,
  httpTimeoutsFromEnv,
  type OperatorListen,
  operatorListenFromEnv,
} from "../../operations/operator.ts";
import { ownerSetting, settingsOrExit } from "../../operations/settings.ts";
import { importHubPublicKey } from "../../protocol/hub-token.ts";
import { databaseLocationFromEnv, MigrationError } from "./database.ts";
import { type RunningOwnerSubgraph, runSubgraph, type StandingPart, type SubgraphDefinition } from "./subgraph.ts";

/**
 * Runs one subgraph as its own process, configured by the environment: the
 * production layout (each subgraph on its own host and PostgreSQL), and how a
 * partner runs the subgraph it built on the SDK.
 *
 * - PORT, HOST (default 127.0.0.1)
 * - OPERATOR_PORT (default PORT + 100), OPERATOR_HOST (127.0.0.1): its /metrics and /readiness
 * - HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS: limits on slow clients
 * - DATABASE_URL_<NAME>: its PostgreSQL database; without it, PGlite under DATA_DIR/<name>
 * - DATA_DIR (default ./data): keys, and PGlite data
 * - HUB_PUBLIC_KEY: the hub gateway's public JWK as JSON; by default DATA_DIR/keys/hub-signing.public.jwk.json
 * - TRUSTED_KEY_<NAME>, for each owner subgraph whose signed records it accepts: that subgraph's
 *   public JWK; by default DATA_DIR/keys/<name>-audit.public.jwk.json
 *
 * With `--print-sdl` it prints the subgraph's SDL instead (what the hub's supergraph config points at) and exits.
 */
export async function serveSubgraph(
  definition: SubgraphDefinition<{ $disconnect(): Promise<void> }>,
  defaultPort: number,
  /** The supergraph's standing parts: only the registry's verdict uses them (hub/subgraph-main.ts gives them). */
  standing: readonly StandingPart[] = [],
): Promise<RunningOwnerSubgraph<{ $disconnect(): Promise<void> }> | null> {
  if (process.argv.includes("--print-sdl")) {
    process.stdout.write(printSubgraphSdl(definition, standing));
    return null;
  }
  const fail = (message: string): never => {
    console.error(`${definition.name} subgraph could not start: ${message}`);
    process.exit(1);
  };
  // Every setting checked before anything starts: a bad one stops the subgraph here, named, with what it expects.
  const settings = settingsOrExit("subgraph", `${definition.name} subgraph`);
  const dataDir = resolve(settings.DATA_DIR);
  const port = settings.PORT ?? defaultPort;
  let operator: OperatorListen = { port: 0, host: "127.0.0.1" };
  let timeouts: HttpTimeouts | undefined;
  try {
    operator = operatorListenFromEnv(port);
    timeouts = httpTimeoutsFromEnv();
  } catch (error) {
    fail((error as Error).message);
  }
  const keyFile = join(dataDir, "keys", "hub-signing.public.jwk.json");
  let jwk: JWK | null = null;
  try {
    jwk = JSON.parse(settings.HUB_PUBLIC_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8") : "null"));
  } catch {
    fail("HUB_PUBLIC_KEY is not JSON; give the hub gateway's public key as a JWK.");
  }
  if (!jwk) return fail(`no hub public key: set HUB_PUBLIC_KEY to the gateway's public JWK, or put it at ${keyFile}.`);
  const hubPublicKey = await importHubPublicKey(jwk).catch(() =>
    fail("HUB_PUBLIC_KEY is not an Ed25519 public JWK; copy the hub's hub-signing.public.jwk.json."),
  );

  const trustedKeys: Record<string, JWK> = {};
  for (const source of definition.trusts ?? []) {
    const file = join(dataDir, "keys", `${source}-audit.public.jwk.json`);
    // Checked at start with every setting: malformed, it stopped the process already.
    const text = ownerSetting("TRUSTED_KEY_", source) ?? (existsSync(file) ? readFileSync(file, "utf8") : null);
    if (!text)
      fail(
        `it accepts records signed by ${source}: set TRUSTED_KEY_${source.toUpperCase()} to ${source}'s public JWK, or put it at ${file}.`,
      );
    try {
      trustedKeys[source] = JSON.parse(text as string) as JWK;
    } catch {
      fail(`TRUSTED_KEY_${source.toUpperCase()} is not JSON; give ${source}'s public key as a JWK.`);
    }
  }

  const running = await runSubgraph(
    definition,
    {
      database: databaseLocationFromEnv(definition.name, dataDir),
      hubPublicKey,
      keysDir: join(dataDir, "keys"),
      trustedKeys,
      standing,
    },
    { port, host: settings.HOST, operator, timeouts },
  ).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof MigrationError) return fail(error.message);
    if (error.code === "EADDRINUSE")
      return fail(`port ${port} or operator port ${operator.port} is already in use; set PORT or OPERATOR_PORT.`);
    return fail(error.message);
  });
  console.log(`${definition.name} subgraph at ${running.url} (operator ${running.operatorUrl})`);

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  return running;
}

/** The subgraph's SDL as composition wants it (federation directives included). */
export function printSubgraphSdl(
  definition: Pick<SubgraphDefinition<never>, "schema">,
  standing: readonly StandingPart[] = [],
): string {
  return `${printSubgraphSchema(definition.schema(standing)).trim()}\n`;
}
