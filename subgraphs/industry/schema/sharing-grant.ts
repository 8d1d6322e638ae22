import type { PrismaClient } from "../../../prisma/industry/generated/client.ts";
import { addSharingGrants, prismaGrantStore } from "../../kit/grants.ts";
import { builder } from "../builder.ts";

/** The industry bodies' decisions about who else sees their trade records. */
export const sharingGrantPermissions = addSharingGrants(builder, {
  owner: "IndustryBody",
  ownerType: "INDUSTRY_BODY",
  store: prismaGrantStore<PrismaClient>(),
});
