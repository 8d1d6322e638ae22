import { PrismaClient } from "../../prisma/registry/generated/client.ts";
import { CONSENTS_SCOPE, CREDENTIALS_SCOPE, DIRECTORY_SCOPE } from "../../protocol/hub-token.ts";
import type { SubgraphDefinition } from "../sdk/subgraph.ts";
import { auditLog } from "./audit.ts";
import { resolveCredential } from "./credentials.ts";
import { knownEnterprises } from "./directory.ts";
import { registryPermissions } from "./permissions.ts";
import { liveConsents } from "./schema/consent.ts";
import { registrySchema } from "./schema/index.ts";

/** The hub's own subgraph: organisations, their credentials, consents, the enterprise directory. */
export const registry: SubgraphDefinition<PrismaClient> = {
  name: "registry",
  schema: registrySchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
  permissions: registryPermissions,
  // Its own audit chain (organisations, keys, identity providers, consents, the directory), checkpointed and
  // verified by `npm run audit:verify` like every owner's.
  audit: auditLog,
  internalRoutes: (db, now) => ({
    credentials: { scope: CREDENTIALS_SCOPE, handle: (body) => resolveCredential(db, body, now()) },
    consents: { scope: CONSENTS_SCOPE, handle: (body) => liveConsents(db, body ?? {}, now()) },
    directory: { scope: DIRECTORY_SCOPE, handle: (body) => knownEnterprises(db, body ?? {}) },
  }),
};
