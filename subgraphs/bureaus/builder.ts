import type { PrismaClient } from "../../prisma/bureaus/generated/client.ts";
import { createSubgraphBuilder } from "../sdk/builder.ts";
import type { SubgraphContext } from "../sdk/context.ts";

export type BureausContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
