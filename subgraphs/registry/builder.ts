import type { Prisma, PrismaClient } from "../../prisma/registry/generated/client.ts";
import { createSubgraphBuilder } from "../sdk/builder.ts";
import type { SubgraphContext } from "../sdk/context.ts";

export type RegistryContext = SubgraphContext<PrismaClient>;

/** The registry's client, or a transaction on it: what lookups shared by resolvers take. */
export type RegistryDb = PrismaClient | Prisma.TransactionClient;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
