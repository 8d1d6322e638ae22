import { addAuditSchema } from "../../sdk/audit-schema.ts";
import { auditLog } from "../audit.ts";
import { builder } from "../builder.ts";
import { EnterpriseRef, OrganisationRef } from "./enterprise.ts";

/** The bureaus' query log as the API shows it: access histories and signed checkpoints. */
export const auditPermissions = addAuditSchema(builder, {
  prefix: "bureaus",
  ownerType: "BUREAU",
  enterprise: EnterpriseRef,
  organisation: OrganisationRef,
  audit: auditLog,
});
