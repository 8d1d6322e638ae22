import { PrismaClient } from "../../prisma/associations/generated/client.ts";
import { prismaGrantStore } from "../kit/grants.ts";
import type { SubgraphDefinition } from "../kit/subgraph.ts";
import { auditLog } from "./audit.ts";
import { associationsPermissions } from "./permissions.ts";
import { purgeExpiredRecords } from "./retention.ts";
import { associationsSchema } from "./schema/index.ts";

const grantStore = prismaGrantStore<PrismaClient>();

/** Member credit files kept by industry associations and chambers of commerce. */
export const associations: SubgraphDefinition<PrismaClient> = {
  name: "associations",
  schema: associationsSchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
  permissions: associationsPermissions,
  loadGrants: (db, caller) => grantStore.heldBy(db, caller),
  audit: auditLog,
  retention: purgeExpiredRecords,
};
