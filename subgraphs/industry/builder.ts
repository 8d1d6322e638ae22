import type { PrismaClient } from "../../prisma/industry/generated/client.ts";
import { createSubgraphBuilder } from "../sdk/builder.ts";
import type { SubgraphContext } from "../sdk/context.ts";

export type IndustryContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
