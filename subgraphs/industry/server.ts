import { PrismaClient } from "../../prisma/industry/generated/client.ts";
import type { SubgraphDefinition } from "../sdk/subgraph.ts";
import { auditLog } from "./audit.ts";
import { industryPermissions } from "./permissions.ts";
import { industrySchema } from "./schema/index.ts";
import { grantStore } from "./schema/sharing-grant.ts";

/** Up- and downstream industry bodies' records of trading-partner performance. */
export const industry: SubgraphDefinition<PrismaClient> = {
  name: "industry",
  schema: industrySchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
  permissions: industryPermissions,
  loadGrants: (db, caller) => grantStore.heldBy(db, caller),
  audit: auditLog,
};
