import { ownerEntities } from "../../../subgraphs/sdk/entities.ts";
import { builder } from "../builder.ts";

/** The partner's view of an enterprise and of organisations: only their keys; the registry has the rest. */
export const { Enterprise: EnterpriseRef, Organisation: OrganisationRef } = ownerEntities(builder);
