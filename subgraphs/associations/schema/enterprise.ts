import { ownerEntities } from "../../sdk/entities.ts";
import { builder } from "../builder.ts";

/**
 * The associations' view of an enterprise (only the key: memberships, credit
 * records and partner reports are attached where those types are defined) and
 * of organisations (associations are organisations of the registry).
 */
export const { Enterprise: EnterpriseRef, Organisation: OrganisationRef } = ownerEntities(builder);
