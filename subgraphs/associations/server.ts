import { PrismaClient } from "../../prisma/associations/generated/client.ts";
import type { SubgraphDefinition } from "../kit/subgraph.ts";
import { associationsSchema } from "./schema/index.ts";

/** Member credit files kept by industry associations and chambers of commerce. */
export const associations: SubgraphDefinition<PrismaClient> = {
  name: "associations",
  schema: associationsSchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
};
