import type { PrismaClient } from "../../prisma/industry/generated/client.ts";
import { createSubgraphBuilder } from "../kit/builder.ts";
import type { SubgraphContext } from "../kit/context.ts";

export type IndustryContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
