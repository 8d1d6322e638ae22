import { addAuditSchema } from "../../../subgraphs/sdk/audit-schema.ts";
import { auditLog } from "../audit.ts";
import { builder } from "../builder.ts";
import { EnterpriseRef, OrganisationRef } from "./enterprise.ts";

/** The partner's own audit log as the API shows it: Enterprise.plasticsAccessHistory and signed checkpoints. */
export const auditPermissions = addAuditSchema(builder, {
  prefix: "plastics",
  ownerType: "ASSOCIATION",
  enterprise: EnterpriseRef,
  organisation: OrganisationRef,
  audit: auditLog,
});
