import type { PrismaClient } from "../../prisma/associations/generated/client.ts";
import { createSubgraphBuilder } from "../kit/builder.ts";
import type { SubgraphContext } from "../kit/context.ts";

export type AssociationsContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
