import { mergePermissionTables, rules } from "../sdk/permissions.ts";
import { auditPermissions } from "./schema/audit.ts";
import { sharingGrantPermissions } from "./schema/sharing-grant.ts";
import { standingPermissions } from "./schema/standing.ts";

/** Who may call what in the bureaus subgraph; its records' fields are classified where they are defined. */
export const bureausPermissions = mergePermissionTables(
  sharingGrantPermissions,
  auditPermissions,
  standingPermissions,
  {
    Query: { receivedRecordsCursor: rules.staffOf("BUREAU") },
    Mutation: { recordBureauEntry: rules.staffOf("BUREAU"), importSharedRecords: rules.staffOf("BUREAU") },
    SharedRecordImport: { "*": rules.checkedInResolver("returned only to the bureau that imported") },
  },
);
