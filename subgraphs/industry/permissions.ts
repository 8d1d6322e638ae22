import { mergePermissionTables, rules } from "../sdk/permissions.ts";
import { auditPermissions } from "./schema/audit.ts";
import { sharingGrantPermissions } from "./schema/sharing-grant.ts";
import { standingPermissions } from "./schema/standing.ts";

const industryStaff = rules.staffOf("INDUSTRY_BODY");

/** Who may call what in the industry subgraph; trade records' fields are classified where they are defined. */
export const industryPermissions = mergePermissionTables(
  sharingGrantPermissions,
  auditPermissions,
  standingPermissions,
  {
    Mutation: {
      recordTradePerformance: industryStaff,
      retractTradeRecord: industryStaff,
    },
  },
);
