import type { PrismaClient } from "../../../prisma/industry/generated/client.ts";
import { addSharingGrants, prismaGrantStore } from "../../sdk/grants.ts";
import { builder } from "../builder.ts";

/** The industry bodies' decisions about who else sees their trade records. */
/** This subgraph's grants, for the API below and for the permission layer's per-request load. */
export const grantStore = prismaGrantStore<PrismaClient>();

export const sharingGrantPermissions = addSharingGrants(builder, {
  owner: "IndustryBody",
  ownerType: "INDUSTRY_BODY",
  store: grantStore,
});
