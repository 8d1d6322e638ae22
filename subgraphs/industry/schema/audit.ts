import { addAuditSchema } from "../../sdk/audit-schema.ts";
import { auditLog } from "../audit.ts";
import { builder } from "../builder.ts";
import { EnterpriseRef, OrganisationRef } from "./enterprise.ts";

/** The industry bodies' audit log as the API shows it: access histories and signed checkpoints. */
export const auditPermissions = addAuditSchema(builder, {
  prefix: "industry",
  ownerType: "INDUSTRY_BODY",
  enterprise: EnterpriseRef,
  organisation: OrganisationRef,
  audit: auditLog,
});
