import { PrismaClient } from "../../prisma/industry/generated/client.ts";
import type { SubgraphContext } from "../sdk/context.ts";
import { defineOwner } from "../sdk/owner.ts";

/** Up- and downstream industry bodies' records of how enterprises treat their trading partners. */
export const owner = defineOwner({
  name: "industry",
  organisationType: "INDUSTRY_BODY",
  grantsName: "IndustryBody",
  createClient: (adapter) => new PrismaClient({ adapter }),
  standing: {
    description: "What industry bodies' trading-performance records say against the enterprise.",
  },
});

export const { builder, Enterprise: EnterpriseRef, Organisation: OrganisationRef } = owner;
export type IndustryContext = SubgraphContext<PrismaClient>;
