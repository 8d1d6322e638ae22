import { PrismaClient } from "../../prisma/registry/generated/client.ts";
import { CONSENTS_SCOPE, CREDENTIALS_SCOPE } from "../kit/hub-token.ts";
import type { SubgraphDefinition } from "../kit/subgraph.ts";
import { resolveCredential } from "./credentials.ts";
import { registryPermissions } from "./permissions.ts";
import { liveConsents } from "./schema/consent.ts";
import { registrySchema } from "./schema/index.ts";

/** The hub's own subgraph: organisations, their credentials, consents, the enterprise directory. */
export const registry: SubgraphDefinition<PrismaClient> = {
  name: "registry",
  schema: registrySchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
  permissions: registryPermissions,
  internalRoutes: (db, now) => ({
    credentials: { scope: CREDENTIALS_SCOPE, handle: (body) => resolveCredential(db, body, now()) },
    consents: { scope: CONSENTS_SCOPE, handle: (body) => liveConsents(db, body ?? {}, now()) },
  }),
};
