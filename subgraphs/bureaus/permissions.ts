import { type PermissionTable, rules } from "../sdk/permissions.ts";

/** Who may call what in the bureaus subgraph; its records' fields are classified where they are defined, and the SDK adds the entries of the grants, access-history and standing APIs it derives. */
export const bureausPermissions: PermissionTable = {
  Query: { receivedRecordsCursor: rules.staffOf("BUREAU") },
  Mutation: { recordBureauEntry: rules.staffOf("BUREAU"), importSharedRecords: rules.staffOf("BUREAU") },
  SharedRecordImport: { "*": rules.checkedInResolver("returned only to the bureau that imported") },
};
