import { classified } from "../../kit/access.ts";
import { builder } from "../builder.ts";

/**
 * The associations' view of an enterprise: only the key. The fields this
 * subgraph adds (memberships, credit records, partner reports) are attached
 * where those types are defined.
 */
export const EnterpriseRef = builder.objectRef<{ uscc: string }>("Enterprise");

EnterpriseRef.implement({
  fields: (t) => ({
    uscc: t.field({ type: "USCC", nullable: false, ...classified("PUBLIC"), resolve: (e) => e.uscc }),
  }),
});

builder.asEntity(EnterpriseRef, {
  key: builder.selection<{ uscc: string }>("uscc"),
  resolveReference: ({ uscc }) => ({ uscc }),
});

/** The registry's organisation, referenced by id (associations are organisations). */
export const OrganisationRef = builder.objectRef<{ id: string }>("Organisation");

OrganisationRef.implement({ fields: (t) => ({ id: t.exposeID("id", { nullable: false, ...classified("PUBLIC") }) }) });

builder.asEntity(OrganisationRef, {
  key: builder.selection<{ id: string }>("id"),
  resolveReference: ({ id }) => ({ id }),
});
