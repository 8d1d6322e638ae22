import { PrismaClient } from "../../prisma/associations/generated/client.ts";
import type { SubgraphDefinition } from "../sdk/subgraph.ts";
import { auditLog } from "./audit.ts";
import { associationsPermissions } from "./permissions.ts";
import { purgeExpiredRecords } from "./retention.ts";
import { associationsSchema } from "./schema/index.ts";
import { grantStore } from "./schema/sharing-grant.ts";

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
