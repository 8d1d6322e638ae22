import { type PermissionTable, rules } from "../kit/permissions.ts";
import { sharingGrantPermissions } from "./schema/sharing-grant.ts";

const associationStaff = rules.staffOf("ASSOCIATION");

/**
 * Who may call what in the associations subgraph. The fields of its types are
 * classified where they are defined; the owner of a record is checked again
 * in the resolver that changes it.
 */
export const associationsPermissions: PermissionTable = {
  Query: {
    ...sharingGrantPermissions.Query,
    members: associationStaff,
    creditRecord: rules.anyone,
  },
  Mutation: {
    ...sharingGrantPermissions.Mutation,
    admitMember: associationStaff,
    endMembership: associationStaff,
    recordCreditEvent: associationStaff,
    correctCreditRecord: associationStaff,
    retractCreditRecord: associationStaff,
    reportTradingPartner: associationStaff,
  },
  AssociationSharingGrant: { ...sharingGrantPermissions.AssociationSharingGrant },
  CreditRecordRevision: { "*": rules.checkedInResolver("reachable only through CreditRecord.revisions, INTERNAL") },
};
