import { type Prisma, PrismaClient } from "../../prisma/registry/generated/client.ts";
import type { SubgraphContext } from "../sdk/context.ts";
import { defineSubgraph } from "../sdk/owner.ts";

/**
 * The hub's own subgraph: organisations, their credentials, enterprises'
 * consents and the directory of enterprises. It keeps no credit data, so it
 * has no grants; its own audit chain is checkpointed and verified like every
 * owner's. It defines Enterprise and Organisation in full (owners add to them).
 */
export const owner = defineSubgraph({
  name: "registry",
  createClient: (adapter) => new PrismaClient({ adapter }),
});

export const { builder } = owner;
export type RegistryContext = SubgraphContext<PrismaClient>;
/** The registry's client, or a transaction on it: what lookups shared by resolvers take. */
export type RegistryDb = PrismaClient | Prisma.TransactionClient;
