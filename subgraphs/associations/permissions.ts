import { type PermissionTable, rules } from "../sdk/permissions.ts";

const associationStaff = rules.staffOf("ASSOCIATION");
const enterpriseStaff = rules.staffOf("ENTERPRISE");

/**
 * Who may call what in the associations subgraph. The fields of its types are
 * classified where they are defined, and the SDK adds the entries of the grants, access-history and standing APIs it derives; whose row it is is checked again in the
 * resolver that changes it.
 */
export const associationsPermissions: PermissionTable = {
  Query: {
    members: associationStaff,
    creditRecord: rules.anyone,
    objections: rules.signedIn,
    sharedRecordChanges: rules.staffOf("BUREAU"),
    evaluationMethodologies: rules.anyone,
    evaluationMethodology: rules.anyone,
    evaluationByCertificate: rules.anyone,
    conventions: rules.anyone,
  },
  Mutation: {
    admitMember: associationStaff,
    endMembership: associationStaff,
    recordCreditEvent: associationStaff,
    correctCreditRecord: associationStaff,
    retractCreditRecord: associationStaff,
    reportTradingPartner: associationStaff,
    objectToCreditRecord: enterpriseStaff,
    answerObjection: associationStaff,
    attachStatement: enterpriseStaff,
    assignEvaluatorCode: rules.hasRole("OPERATOR"),
    publishEvaluationMethodology: associationStaff,
    evaluateMember: associationStaff,
    voidEvaluation: associationStaff,
    publishConvention: associationStaff,
    imposeSanction: associationStaff,
    endSanction: associationStaff,
    addToList: associationStaff,
    removeFromList: associationStaff,
    objectToListEntry: enterpriseStaff,
    answerListObjection: associationStaff,
  },
  // Published: the methodology behind every grade and the convention behind every sanction are open to anyone.
  EvaluationMethodology: { "*": rules.anyone },
  EvaluationIndicator: { "*": rules.anyone },
  GradeFloor: { "*": rules.anyone },
  Convention: { "*": rules.anyone },
  IndicatorScore: { "*": rules.checkedInResolver("reachable only through Evaluation.scores, SHARED") },
  CreditRecordRevision: { "*": rules.checkedInResolver("reachable only through CreditRecord.revisions, INTERNAL") },
  RecordChange: {
    "*": rules.checkedInResolver(
      "changes of associations that grant the bureau SHARED; the record's fields by their class",
    ),
  },
  RecordChangePage: {
    "*": rules.checkedInResolver(
      "changes of associations that grant the bureau SHARED; the record's fields by their class",
    ),
  },
};
