import type { PrismaClient } from "../../../prisma/bureaus/generated/client.ts";
import { addSharingGrants, prismaGrantStore } from "../../kit/grants.ts";
import { builder } from "../builder.ts";

/** The bureaus' decisions about who else sees their own records. */
export const sharingGrantPermissions = addSharingGrants(builder, {
  owner: "Bureau",
  ownerType: "BUREAU",
  store: prismaGrantStore<PrismaClient>(),
});
