import type { SubgraphDefinition } from "../../subgraphs/sdk/subgraph.ts";
import { auditLog } from "./audit.ts";
import { plasticsPermissions } from "./permissions.ts";
import { PrismaClient } from "./prisma/generated/client.ts";
import { plasticsSchema } from "./schema/index.ts";
import { grantStore } from "./schema/sharing-grant.ts";

/** The example partner's subgraph, everything it is made of: what the SDK runs. */
export const plastics: SubgraphDefinition<PrismaClient> = {
  name: "plastics",
  schema: plasticsSchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
  migrations: new URL("./prisma/migrations/", import.meta.url),
  permissions: plasticsPermissions,
  loadGrants: (db, caller) => grantStore.heldBy(db, caller),
  audit: auditLog,
};
