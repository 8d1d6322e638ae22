import type { GraphQLSchema } from "graphql";
import type { CryptoKey } from "jose";
import { type DatabaseLocation, type DriverAdapter, openDatabase } from "./database.ts";
import { createLogger } from "./logger.ts";
import { type InternalRoute, type RunningSubgraph, startSubgraphServer } from "./server.ts";

/** Everything that makes one data owner's subgraph, declared in its own server.ts. */
export interface SubgraphDefinition<Client extends { $disconnect(): Promise<void> }> {
  name: string;
  schema: GraphQLSchema;
  createClient(adapter: DriverAdapter): Client;
  internalRoutes?(db: Client, now: () => Date): Record<string, InternalRoute>;
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
        schema: definition.schema,
        db: database.client,
        hubPublicKey: runtime.hubPublicKey,
        ready: database.ping,
        now,
        internalRoutes: definition.internalRoutes?.(database.client, now),
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
