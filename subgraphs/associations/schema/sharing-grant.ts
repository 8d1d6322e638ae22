import type { PrismaClient } from "../../../prisma/associations/generated/client.ts";
import { addSharingGrants, prismaGrantStore } from "../../kit/grants.ts";
import { builder } from "../builder.ts";

/** The associations' decisions about who else sees their members' files. */
export const sharingGrantPermissions = addSharingGrants(builder, {
  owner: "Association",
  ownerType: "ASSOCIATION",
  store: prismaGrantStore<PrismaClient>(),
});
