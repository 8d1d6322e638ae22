import { mergePermissionTables, rules } from "../../subgraphs/sdk/permissions.ts";
import { auditPermissions } from "./schema/audit.ts";
import { sharingGrantPermissions } from "./schema/sharing-grant.ts";

/**
 * Who may call what in the partner's subgraph. Its certificate fields are
 * classified where they are defined; this table names the rest. A field in
 * neither place stops the subgraph from starting.
 */
export const plasticsPermissions = mergePermissionTables(sharingGrantPermissions, auditPermissions, {
  Mutation: { issueQualityCertificate: rules.staffOf("ASSOCIATION") },
});
