import type { GraphQLSchema } from "graphql";
import type { CryptoKey, JWK } from "jose";
import { createLogger, errorFields } from "../../operations/logger.ts";
import { ownerSetting, readSettings } from "../../operations/settings.ts";
import { loadOrCreateEd25519 } from "../../protocol/keys.ts";
import type { GrantTerms } from "./access.ts";
import { type AuditDb, accessRecorder, type CheckpointRow, checkpoint } from "./audit.ts";
import type { OrganisationCaller } from "./context.ts";
import { type DatabaseLocation, type DriverAdapter, openDatabase, type SqlReader } from "./database.ts";
import { applyPermissions, type PermissionTable } from "./permissions.ts";
import { recordSignatures } from "./signed-records.ts";
import {
  type InternalRoute,
  type RunningSubgraph,
  type SubgraphListen,
  startSubgraphServer,
} from "./subgraph-server.ts";

/** One owner's part in a bank's standing check: its `<subgraph>Findings` field, and what the verdict's reasons call it. */
export interface StandingPart {
  subgraph: string;
  part: string;
}

/** Everything that makes one subgraph, as its declaration derives it (owner.ts: `defineOwner`, `defineSubgraph`). */
export interface SubgraphDefinition<Client extends { $disconnect(): Promise<void> }> {
  name: string;
  /** Its schema; the registry's depends on which owners have a part in the standing check (the others ignore it). */
  schema(standing: readonly StandingPart[]): GraphQLSchema;
  createClient(adapter: DriverAdapter): Client;
  /** Its migrations folder; the hub's own subgraphs keep theirs in prisma/<name>/migrations. */
  migrations?: URL;
  internalRoutes?(db: Client, now: () => Date, read: SqlReader): Record<string, InternalRoute>;
  /** Who may see what: the subgraph's permission table (classified fields need no entry). */
  permissions: PermissionTable;
  /** The caller's sharing grants from this subgraph's data owners. */
  loadGrants?(db: Client, caller: OrganisationCaller): Promise<GrantTerms[]>;
  /** The owner's audit log (its AuditEntry and AuditCheckpoint tables), for subgraphs that hold credit data. */
  audit?(db: Client): AuditDb;
  /** Owner subgraphs whose signed records this one accepts (see signed-records.ts); it must be given their public keys. */
  trusts?: string[];
  /** Purges what is past retention, auditing each purge; returns how many rows went. */
  retention?(db: Client, now: Date): Promise<number>;
}

export interface SubgraphRuntime {
  database: DatabaseLocation;
  hubPublicKey: CryptoKey;
  now?: () => Date;
  /** Where the owner's audit signing key lives (`<name>-audit.jwk.json`); null for a key of this process only. */
  keysDir: string | null;
  /** How often the audit chain head is signed; 0 turns the timer off. */
  checkpointSeconds?: number;
  /** Public keys of other owner subgraphs (their `<name>-audit` keys), by name: those `trusts` names must be here. */
  trustedKeys?: Record<string, JWK>;
  /** How often retention runs inside the hub; 0 turns it off. */
  retentionHours?: number;
  /**
   * Every part of the standing check in the supergraph (the hub's owners' and
   * partners'): the registry's verdict weighs them, and refuses to start without.
   */
  standing?: readonly StandingPart[];
}

export interface RunningOwnerSubgraph<Client> extends RunningSubgraph {
  db: Client;
  /** Signs the audit chain head now (if it moved); null when there is nothing new or no audit log. */
  checkpoint(): Promise<CheckpointRow | null>;
  /** The public key that verifies this owner's checkpoints. */
  auditPublicJwk: JWK | null;
  /** SQL statements this subgraph has sent to its database so far. */
  sqlStatements(): number;
}

/** Opens the subgraph's own database (migrating it) and serves the subgraph. */
export async function runSubgraph<Client extends { $disconnect(): Promise<void> }>(
  definition: SubgraphDefinition<Client>,
  runtime: SubgraphRuntime,
  listen: SubgraphListen,
): Promise<RunningOwnerSubgraph<Client>> {
  const now = runtime.now ?? (() => new Date());
  const log = createLogger({ service: definition.name });
  // Read before the database opens: a malformed setting stops the start, named (operations/settings.ts).
  const intervals = readSettings(["AUDIT_CHECKPOINT_SECONDS", "RETENTION_INTERVAL_HOURS"]);
  const signingKey = ownerSetting("AUDIT_SIGNING_KEY_", definition.name);
  const database = await openDatabase(
    definition.name,
    runtime.database,
    definition.createClient,
    definition.migrations,
  );
  const audit = definition.audit?.(database.client);
  const signer = audit ? await loadOrCreateEd25519(`${definition.name}-audit`, runtime.keysDir, signingKey) : null;
  const keyId = `${definition.name}-audit`;
  const missing = (definition.trusts ?? []).filter((name) => !runtime.trustedKeys?.[name]);
  if (missing.length) {
    await database.close();
    throw new Error(
      `The ${definition.name} subgraph accepts records signed by ${missing.join(", ")} but has no public key for ${missing.length > 1 ? "them" : "it"}: give each as TRUSTED_KEY_<NAME> (the JWK in <name>-audit.public.jwk.json).`,
    );
  }
  const signatures = await recordSignatures({
    name: definition.name,
    own: signer,
    trusted: Object.fromEntries((definition.trusts ?? []).map((name) => [name, runtime.trustedKeys?.[name] as JWK])),
  });
  const signHead = () => (audit && signer ? checkpoint(audit, { keyId, ...signer }, now()) : Promise.resolve(null));
  const timers: NodeJS.Timeout[] = [];
  const every = (seconds: number, task: () => Promise<unknown>, what: string) => {
    if (!(seconds > 0)) return;
    const timer = setInterval(() => {
      task().catch((error) => log.error(`${what} failed`, errorFields(error)));
    }, seconds * 1000);
    timer.unref();
    timers.push(timer);
  };
  try {
    const server = await startSubgraphServer(
      {
        name: definition.name,
        schema: applyPermissions(definition.schema(runtime.standing ?? []), definition.permissions),
        db: database.client,
        read: database.read,
        hubPublicKey: runtime.hubPublicKey,
        ready: database.ping,
        now,
        internalRoutes: definition.internalRoutes?.(database.client, now, database.read),
        loadGrants: definition.loadGrants
          ? (caller) => definition.loadGrants?.(database.client, caller) ?? Promise.resolve([])
          : undefined,
        recordAccess: audit ? accessRecorder(audit) : undefined,
        auditPublicJwk: signer?.publicJwk,
        signatures,
        sqlStatements: database.statements,
        logger: log,
      },
      listen,
    );
    if (audit) every(runtime.checkpointSeconds ?? intervals.AUDIT_CHECKPOINT_SECONDS, signHead, "audit checkpoint");
    const retention = definition.retention;
    if (retention) {
      const hours = runtime.retentionHours ?? intervals.RETENTION_INTERVAL_HOURS;
      every(
        hours * 3600,
        async () => {
          const purged = await retention(database.client, now());
          if (purged) log.info("retention purged records past their retention", { purged });
        },
        "retention",
      );
    }
    return {
      ...server,
      db: database.client,
      checkpoint: signHead,
      auditPublicJwk: signer?.publicJwk ?? null,
      sqlStatements: database.statements,
      async close() {
        for (const timer of timers) clearInterval(timer);
        await server.close();
        await signHead().catch(() => null);
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
