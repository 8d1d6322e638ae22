import { type PermissionTable, rules } from "../sdk/permissions.ts";

const industryStaff = rules.staffOf("INDUSTRY_BODY");

/** Who may call what in the industry subgraph; trade records' fields are classified where they are defined, and the SDK adds the entries of the grants, access-history and standing APIs it derives. */
export const industryPermissions: PermissionTable = {
  Mutation: {
    recordTradePerformance: industryStaff,
    retractTradeRecord: industryStaff,
  },
};
