import { createSubgraphBuilder } from "../../subgraphs/sdk/builder.ts";
import type { SubgraphContext } from "../../subgraphs/sdk/context.ts";
import type { PrismaClient } from "./prisma/generated/client.ts";

export type PlasticsContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
