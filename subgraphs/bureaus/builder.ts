import type { PrismaClient } from "../../prisma/bureaus/generated/client.ts";
import { createSubgraphBuilder } from "../kit/builder.ts";
import type { SubgraphContext } from "../kit/context.ts";

export type BureausContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
