import type { PrismaClient } from "../../../prisma/associations/generated/client.ts";
import { addSharingGrants, prismaGrantStore } from "../../sdk/grants.ts";
import { builder } from "../builder.ts";

/** The associations' decisions about who else sees their members' files. */
/** This subgraph's grants, for the API below and for the permission layer's per-request load. */
export const grantStore = prismaGrantStore<PrismaClient>();

export const sharingGrantPermissions = addSharingGrants(builder, {
  owner: "Association",
  ownerType: "ASSOCIATION",
  store: grantStore,
});
