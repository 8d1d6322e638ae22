import { createSubgraphBuilder } from "../../subgraphs/kit/builder.ts";
import type { SubgraphContext } from "../../subgraphs/kit/context.ts";
import type { PrismaClient } from "./prisma/generated/client.ts";

export type PlasticsContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
