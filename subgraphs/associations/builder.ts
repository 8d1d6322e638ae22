import type { PrismaClient } from "../../prisma/associations/generated/client.ts";
import { createSubgraphBuilder } from "../sdk/builder.ts";
import type { SubgraphContext } from "../sdk/context.ts";

export type AssociationsContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
