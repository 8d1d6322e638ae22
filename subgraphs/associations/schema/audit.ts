import { addAuditSchema } from "../../sdk/audit-schema.ts";
import { auditLog } from "../audit.ts";
import { builder } from "../builder.ts";
import { EnterpriseRef, OrganisationRef } from "./enterprise.ts";

/** The associations' audit log as the API shows it: access histories and signed checkpoints. */
export const auditPermissions = addAuditSchema(builder, {
  prefix: "associations",
  ownerType: "ASSOCIATION",
  enterprise: EnterpriseRef,
  organisation: OrganisationRef,
  audit: auditLog,
});
