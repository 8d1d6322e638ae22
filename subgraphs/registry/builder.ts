import type { PrismaClient } from "../../prisma/registry/generated/client.ts";
import { createSubgraphBuilder } from "../kit/builder.ts";
import type { SubgraphContext } from "../kit/context.ts";

export type RegistryContext = SubgraphContext<PrismaClient>;

export const builder = createSubgraphBuilder<PrismaClient>();
builder.mutationType({});
