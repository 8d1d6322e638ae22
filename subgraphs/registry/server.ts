import { PrismaClient } from "../../prisma/registry/generated/client.ts";
import { CREDENTIALS_SCOPE } from "../kit/hub-token.ts";
import type { SubgraphDefinition } from "../kit/subgraph.ts";
import { resolveApiKey } from "./credentials.ts";
import { registrySchema } from "./schema/index.ts";

/** The hub's own subgraph: organisations, their credentials, the enterprise directory. */
export const registry: SubgraphDefinition<PrismaClient> = {
  name: "registry",
  schema: registrySchema,
  createClient: (adapter) => new PrismaClient({ adapter }),
  internalRoutes: (db, now) => ({
    credentials: {
      scope: CREDENTIALS_SCOPE,
      handle: (body) => resolveApiKey(db, (body as { apiKey?: unknown } | undefined)?.apiKey, now()),
    },
  }),
};
