import type { PrismaClient } from "../../../prisma/bureaus/generated/client.ts";
import { addSharingGrants, prismaGrantStore } from "../../sdk/grants.ts";
import { builder } from "../builder.ts";

/** The bureaus' decisions about who else sees their own records. */
/** This subgraph's grants, for the API below and for the permission layer's per-request load. */
export const grantStore = prismaGrantStore<PrismaClient>();

export const sharingGrantPermissions = addSharingGrants(builder, {
  owner: "Bureau",
  ownerType: "BUREAU",
  store: grantStore,
});
