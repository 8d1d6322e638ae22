import { join } from "node:path";
import type { JWK } from "jose";
import { startGateway } from "../gateway/create-gateway.ts";
import type { EdgeOptions } from "../gateway/edge-options.ts";
import { type HubSigningKeys, loadOrCreateSigningKeys } from "../gateway/keys.ts";
import { type OperatorOptions, operatorOptionsFromEnv } from "../gateway/operator.ts";
import { registryClient } from "../gateway/registry-client.ts";
import { readSettings } from "../operations/settings.ts";
import { importHubPublicKey } from "../protocol/hub-token.ts";
import { type DatabaseLocation, databaseLocationFromEnv } from "../subgraphs/sdk/database.ts";
import { type RunningOwnerSubgraph, runSubgraph, type SubgraphDefinition } from "../subgraphs/sdk/subgraph.ts";
import { composeSupergraph, keepLastGood, supergraphPollMs } from "./compose.ts";
import { SUBGRAPHS } from "./subgraphs.ts";
import { loadSupergraphConfig, standingParts } from "./supergraph-config.ts";

type RunningSubgraphs = Record<string, RunningOwnerSubgraph<unknown>>;

export interface HubOptions {
  /** Folder for PGlite data and keys; null keeps everything in memory (tests). */
  dataDir: string | null;
  /** Per-subgraph database, overriding DATABASE_URL_<NAME> and the data folder. */
  databases?: Partial<Record<string, DatabaseLocation>>;
  port: number;
  host?: string;
  now?: () => Date;
  /** The supergraph config to compose (default supergraph.config.json): partners' subgraphs are routed to, not run. */
  supergraphConfig?: string;
  /** The gateway's signing keys, when a partner's subgraph must trust them before the hub starts (tests). */
  signingKeys?: HubSigningKeys;
  /** The gateway's public edge (limits, production switches); from the environment when left out. */
  edge?: EdgeOptions;
  /** How long the gateway reuses the registry's word on credentials and consents (default REGISTRY_CACHE_SECONDS). */
  registryCacheSeconds?: number;
  /** How often the gateway recomposes from the supergraph config (default SUPERGRAPH_POLL_SECONDS). */
  supergraphPollMs?: number;
  /** The operator's address and the HTTP time limits; from the environment (OPERATOR_*, HTTP_*) when left out. */
  operator?: Pick<OperatorOptions, "listen" | "timeouts">;
}

export interface Hub {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /**
   * The operator's address: the gateway's /metrics, /readiness, /health/subgraphs, and each subgraph's
   * /metrics and /readiness under /subgraphs/<name>/ (one process, one operator port).
   */
  operatorUrl: string;
  subgraphs: RunningSubgraphs;
  /** Starts one subgraph again on its port and database (after a crash or a stop); the gateway needs no restart. */
  restartSubgraph(name: string): Promise<void>;
  hubPublicJwk: JWK;
  signingKeys: HubSigningKeys;
  close(): Promise<void>;
}

/**
 * Starts every subgraph on its own database and port, then the gateway in
 * front of them: the whole hub in one process.
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  // Read first: a malformed setting stops the start before any database is opened.
  const operator = options.operator ?? operatorOptionsFromEnv(options.port);
  const registryCacheSeconds =
    options.registryCacheSeconds ?? readSettings(["REGISTRY_CACHE_SECONDS"]).REGISTRY_CACHE_SECONDS;
  const keysDir = options.dataDir ? join(options.dataDir, "keys") : null;
  const signingKeys = options.signingKeys ?? (await loadOrCreateSigningKeys(keysDir));
  const hubPublicKey = await importHubPublicKey(signingKeys.publicJwk);
  const config = loadSupergraphConfig(options.supergraphConfig);
  // Recomposed from the config while the hub runs: a partner added there is served without a restart.
  const supergraph = keepLastGood(
    () => composeSupergraph(loadSupergraphConfig(options.supergraphConfig)),
    (error) =>
      console.error(
        JSON.stringify({
          level: "warn",
          msg: "composition failed; still serving the last supergraph",
          error: error.message,
        }),
      ),
  );
  supergraph();
  const partners = config.filter((entry) => entry.sdlFile);

  const started: RunningOwnerSubgraph<unknown>[] = [];
  const closeAll = async () => {
    for (const s of started.reverse()) await s.close().catch(() => {});
  };
  const run = (definition: (typeof SUBGRAPHS)[number], port: number) =>
    runSubgraph(
      definition as SubgraphDefinition<{ $disconnect(): Promise<void> }>,
      {
        database:
          options.databases?.[definition.name] ??
          (options.dataDir
            ? databaseLocationFromEnv(definition.name, options.dataDir)
            : { kind: "pglite" as const, dataDir: null }),
        hubPublicKey,
        now: options.now,
        keysDir,
        // Subgraphs start in order, so those whose signed records another accepts are already up.
        trustedKeys: Object.fromEntries(started.flatMap((s) => (s.auditPublicJwk ? [[s.name, s.auditPublicJwk]] : []))),
        standing: standingParts(config),
      },
      // No operator listener of their own: the gateway's serves their routes (below).
      { port, timeouts: operator.timeouts },
    );
  try {
    for (const definition of SUBGRAPHS) started.push(await run(definition, 0));
    const subgraphs: RunningSubgraphs = Object.fromEntries(started.map((s) => [s.name, s]));
    const registry = subgraphs.registry;
    if (!registry) throw new Error("The hub cannot run without its registry subgraph.");
    const gateway = await startGateway(
      {
        supergraph,
        subgraphUrls: Object.fromEntries([
          ...partners.map((p) => [p.name, p.url]),
          ...started.map((s) => [s.name, s.url]),
        ]),
        signingKey: signingKeys.privateKey,
        registry: registryClient(registry.url, signingKeys.privateKey, {
          seconds: registryCacheSeconds,
          now: options.now,
        }),
        edge: options.edge,
        pollMs: options.supergraphPollMs ?? supergraphPollMs(),
      },
      { port: options.port, host: options.host },
      {
        ...operator,
        // Looked up per request: a subgraph restarted in-process serves its routes again at once.
        routes: (path) => {
          const match = /^\/subgraphs\/([^/]+)(\/.*)$/.exec(path);
          return match ? subgraphs[match[1] ?? ""]?.operatorRoutes(match[2] ?? "") : undefined;
        },
      },
    );
    return {
      url: gateway.url,
      operatorUrl: gateway.operatorUrl,
      subgraphs,
      async restartSubgraph(name) {
        const definition = SUBGRAPHS.find((d) => d.name === name);
        const running = subgraphs[name];
        if (!definition || !running) throw new Error(`No subgraph ${name} in this hub.`);
        await running.close().catch(() => {});
        const again = await run(definition, Number(new URL(running.url).port));
        subgraphs[name] = again;
        started[started.indexOf(running)] = again;
      },
      hubPublicJwk: signingKeys.publicJwk,
      signingKeys,
      async close() {
        await gateway.close();
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
