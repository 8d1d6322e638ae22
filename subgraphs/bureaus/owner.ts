import { PrismaClient } from "../../prisma/bureaus/generated/client.ts";
import type { SubgraphContext } from "../sdk/context.ts";
import { defineOwner } from "../sdk/owner.ts";

/** Where the records associations share with a bureau come from: they arrive signed by that subgraph. */
export const RECORD_SOURCE = "associations";

/** Credit bureaus: their own records about enterprises, the records associations share with them, and the query log consumers leave. */
export const owner = defineOwner({
  name: "bureaus",
  organisationType: "BUREAU",
  grantsName: "Bureau",
  createClient: (adapter) => new PrismaClient({ adapter }),
  trusts: [RECORD_SOURCE],
  standing: {
    description: "What credit bureaus' own records say against the enterprise.",
  },
});

export const { builder, Enterprise: EnterpriseRef, Organisation: OrganisationRef } = owner;
export type BureausContext = SubgraphContext<PrismaClient>;
