import type { SubgraphContext } from "../../subgraphs/sdk/context.ts";
import { defineOwner } from "../../subgraphs/sdk/owner.ts";
import { PrismaClient } from "./prisma/generated/client.ts";

/**
 * The example partner: 长三角塑料制品行业协会 (fictional) keeps its members'
 * product-quality certificates in its own database and joins the hub through
 * the supergraph config. Declared like the hub's own owners, on the SDK alone.
 */
export const owner = defineOwner({
  name: "plastics",
  organisationType: "ASSOCIATION",
  grantsName: "Plastics",
  createClient: (adapter) => new PrismaClient({ adapter }),
  // Its migrations travel with it, not under the hub's prisma/.
  migrations: new URL("./prisma/migrations/", import.meta.url),
  standing: { description: "What plastics associations' quality certificates say against the enterprise." },
});

export const { builder, Enterprise: EnterpriseRef, Organisation: OrganisationRef } = owner;
export type PlasticsContext = SubgraphContext<PrismaClient>;
