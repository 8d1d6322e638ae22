import { PrismaClient } from "../../prisma/associations/generated/client.ts";
import type { SubgraphContext } from "../sdk/context.ts";
import { defineOwner } from "../sdk/owner.ts";

/** Member credit files kept by industry associations and chambers of commerce. */
export const owner = defineOwner({
  name: "associations",
  organisationType: "ASSOCIATION",
  grantsName: "Association",
  createClient: (adapter) => new PrismaClient({ adapter }),
  standing: {
    description: "What associations' memberships and credit files say against the enterprise.",
  },
});

export const { builder, Enterprise: EnterpriseRef, Organisation: OrganisationRef } = owner;
export type AssociationsContext = SubgraphContext<PrismaClient>;
