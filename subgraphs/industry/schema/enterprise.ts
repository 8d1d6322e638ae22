import { ownerEntities } from "../../sdk/entities.ts";
import { builder } from "../builder.ts";

/** The industry bodies' view of an enterprise (only the key) and of organisations. */
export const { Enterprise: EnterpriseRef, Organisation: OrganisationRef } = ownerEntities(builder);
