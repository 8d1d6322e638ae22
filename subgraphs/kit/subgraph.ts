import type { GraphQLSchema } from "graphql";
import type { CryptoKey } from "jose";
import type { GrantTerms } from "./access.ts";
import type { OrganisationCaller } from "./context.ts";
import { type DatabaseLocation, type DriverAdapter, openDatabase } from "./database.ts";
import { createLogger } from "./logger.ts";
import { applyPermissions, type PermissionTable } from "./permissions.ts";
import { type InternalRoute, type RunningSubgraph, startSubgraphServer } from "./server.ts";

/** Everything that makes one data owner's subgraph, declared in its own server.ts. */
export interface SubgraphDefinition<Client extends { $disconnect(): Promise<void> }> {
  name: string;
  schema: GraphQLSchema;
  createClient(adapter: DriverAdapter): Client;
  internalRoutes?(db: Client, now: () => Date): Record<string, InternalRoute>;
  /** Who may see what: the subgraph's permission table (classified fields need no entry). */
  permissions: PermissionTable;
  /** The caller's sharing grants from this subgraph's data owners. */
  loadGrants?(db: Client, caller: OrganisationCaller): Promise<GrantTerms[]>;
}

export interface SubgraphRuntime {
  database: DatabaseLocation;
  hubPublicKey: CryptoKey;
  now?: () => Date;
}

/** Opens the subgraph's own database (migrating it) and serves the subgraph. */
export async function runSubgraph<Client extends { $disconnect(): Promise<void> }>(
  definition: SubgraphDefinition<Client>,
  runtime: SubgraphRuntime,
  listen: { port: number; host?: string },
): Promise<RunningSubgraph & { db: Client }> {
  const now = runtime.now ?? (() => new Date());
  const database = await openDatabase(definition.name, runtime.database, definition.createClient);
  try {
    const server = await startSubgraphServer(
      {
        name: definition.name,
        schema: applyPermissions(definition.schema, definition.permissions),
        db: database.client,
        hubPublicKey: runtime.hubPublicKey,
        ready: database.ping,
        now,
        internalRoutes: definition.internalRoutes?.(database.client, now),
        loadGrants: definition.loadGrants
          ? (caller) => definition.loadGrants?.(database.client, caller) ?? Promise.resolve([])
          : undefined,
        logger: createLogger({ service: definition.name }),
      },
      listen,
    );
    return {
      ...server,
      db: database.client,
      async close() {
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
