import { mergePermissionTables, rules } from "../kit/permissions.ts";
import { auditPermissions } from "./schema/audit.ts";
import { sharingGrantPermissions } from "./schema/sharing-grant.ts";

/** Who may call what in the bureaus subgraph; its records' fields are classified where they are defined. */
export const bureausPermissions = mergePermissionTables(sharingGrantPermissions, auditPermissions, {
  Mutation: { recordBureauEntry: rules.staffOf("BUREAU") },
});
