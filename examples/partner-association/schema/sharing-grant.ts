import { addSharingGrants, prismaGrantStore } from "../../../subgraphs/sdk/grants.ts";
import { builder } from "../builder.ts";
import type { PrismaClient } from "../prisma/generated/client.ts";

/** The partner's decisions about who else sees its certificates: grantPlasticsAccess, revokePlasticsAccess… */
export const grantStore = prismaGrantStore<PrismaClient>();

export const sharingGrantPermissions = addSharingGrants(builder, {
  owner: "Plastics",
  ownerType: "ASSOCIATION",
  store: grantStore,
});
