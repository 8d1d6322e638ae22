import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { JWK } from "jose";
import { type Env, ownerSetting } from "../operations/settings.ts";
import { readPublicJwk } from "../protocol/keys.ts";
import type { AuditDb } from "../subgraphs/sdk/audit.ts";
import { databaseLocationFromEnv, openDatabase } from "../subgraphs/sdk/database.ts";
import type { SubgraphDefinition } from "../subgraphs/sdk/subgraph.ts";
import { SUBGRAPHS } from "./subgraphs.ts";

type Client = { $disconnect(): Promise<void> };

/** An owner named that this hub does not run (the operator's mistake, not damage). */
export class UnknownOwnerError extends Error {}

export interface OwnerDatabase {
  name: string;
  client: Client;
  audit: AuditDb;
  retention?: (now: Date) => Promise<number>;
  /** The key that verifies this owner's checkpoints: AUDIT_PUBLIC_KEY_<NAME>, or the one kept under the data folder. */
  publicJwk(): JWK;
  close(): Promise<void>;
}

/**
 * Opens, outside the running hub, the database of every subgraph that keeps an
 * audit log — for operators' tools (audit:verify, retention). A PGlite folder
 * can have one process only, so this refuses while the hub holds it.
 */
export async function openOwnerDatabases(
  dataDir: string,
  env?: Env,
  /** Only these owners (every one that keeps a log when left out); a name that keeps none is an error. */
  only?: readonly string[],
): Promise<OwnerDatabase[]> {
  const all = (SUBGRAPHS as readonly SubgraphDefinition<Client>[]).filter((s) => s.audit);
  const unknown = (only ?? []).filter((name) => !all.some((s) => s.name === name));
  if (unknown.length)
    throw new UnknownOwnerError(
      `no owner called ${unknown.join(", ")} keeps an audit log here; the owners are ${all.map((s) => s.name).join(", ")}.`,
    );
  const owners = only ? all.filter((s) => only.includes(s.name)) : all;
  const lock = join(dataDir, "hub.lock");
  const opened: OwnerDatabase[] = [];
  for (const definition of owners) {
    const location = databaseLocationFromEnv(definition.name, dataDir, env);
    if (location.kind === "pglite" && existsSync(lock) && isAlive(Number(readFileSync(lock, "utf8"))))
      throw new Error(
        `the hub (pid ${readFileSync(lock, "utf8").trim()}) is using ${dataDir}; stop it first, or run this against PostgreSQL (DATABASE_URL_${definition.name.toUpperCase()}).`,
      );
    if (location.kind === "pglite" && !existsSync(location.dataDir ?? "")) continue;
    const database = await openDatabase(definition.name, location, definition.createClient);
    const audit = definition.audit?.(database.client) as AuditDb;
    const retention = definition.retention;
    opened.push({
      name: definition.name,
      client: database.client,
      audit,
      retention: retention ? (now) => retention(database.client, now) : undefined,
      publicJwk: () => {
        const configured = ownerSetting("AUDIT_PUBLIC_KEY_", definition.name, env);
        return configured
          ? (JSON.parse(configured) as JWK)
          : readPublicJwk(join(dataDir, "keys"), `${definition.name}-audit`);
      },
      close: () => database.close(),
    });
  }
  return opened;
}

function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
