import { PrismaClient } from "../../prisma/bureaus/generated/client.ts";
import type { SubgraphDefinition } from "../sdk/subgraph.ts";
import { auditLog } from "./audit.ts";
import { bureausPermissions } from "./permissions.ts";
import { bureausSchema } from "./schema/index.ts";
import { RECORD_SOURCE } from "./schema/received-record.ts";
import { grantStore } from "./schema/sharing-grant.ts";

/** Credit bureaus: their own records about enterprises, and the query log consumers leave. */
export const bureaus: SubgraphDefinition<PrismaClient> = {
  name: "bureaus",
  schema: bureausSchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
  permissions: bureausPermissions,
  loadGrants: (db, caller) => grantStore.heldBy(db, caller),
  audit: auditLog,
  // Records associations share with a bureau arrive signed by the associations subgraph.
  trusts: [RECORD_SOURCE],
};
