/**
 * The credit vocabulary owners and banks share: the seed policy's evaluation
 * grades and the self-discipline sanction levels, each in order, and the
 * codes of what an owner's records say in a standing check (findings). The
 * associations keep the rules about grades and sanctions; a bank's programme
 * criteria (kept by the registry) compare against the same scales, so the
 * scales live here rather than in either.
 */

/** Three tiers, nine grades, best first. */
export const GRADES = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"] as const;
export type Grade = (typeof GRADES)[number];

export function tierOf(grade: Grade): "A" | "B" | "C" {
  return grade.charAt(0) as "A" | "B" | "C";
}

/** True when `grade` is `floor` or better. */
export const gradeAtLeast = (grade: Grade, floor: Grade): boolean => GRADES.indexOf(grade) <= GRADES.indexOf(floor);

/** Sanctions in rising order; from public condemnation up they are public and shared onward (joint punishment). */
export const SANCTION_LEVELS = [
  "WARNING",
  "NOTICE_OF_CRITICISM",
  "PUBLIC_CONDEMNATION",
  "MEMBERSHIP_REVOKED",
  "REPORTED_TO_AUTHORITIES",
] as const;
export type SanctionLevel = (typeof SANCTION_LEVELS)[number];

export const levelAtLeast = (level: SanctionLevel, floor: SanctionLevel): boolean =>
  SANCTION_LEVELS.indexOf(level) >= SANCTION_LEVELS.indexOf(floor);

/**
 * What an owner's records say about an enterprise in a standing check, one
 * stable code each. Adverse ones weigh against the verdict; the others are
 * facts a bank's programme may ask for (a grade, the red list, a payment ratio).
 * The set is open: a partner owner names its own (the example's
 * CERTIFICATE_WITHDRAWN); these are the hub's owners'.
 */
export const FINDING_CODES = {
  /** Adverse. */
  MEMBERSHIP_SUSPENDED: "会员资格被暂停 / membership suspended",
  ACTIVE_SANCTION: "处于有效期的惩戒 / a sanction in force (label: its level)",
  BLACK_LIST: "列入黑名单 / on a black list",
  WATCH_LIST: "列入重点关注名单 / on a watch list",
  NEGATIVE_RECORD: "有效的不良信用记录 / negative credit records in force (value: how many)",
  LOW_GRADE: "信用等级为C级 / a C-tier credit grade (label: the grade)",
  LATE_PAYMENTS: "按时付款比例偏低 / too few payments on time (value: the ratio)",
  UNFULFILLED_CONTRACTS: "合同履约率偏低 / too few contracts fulfilled (value: the ratio)",
  TRADE_DISPUTE: "贸易纠纷调解中 / trade disputes in mediation (value: how many)",
  UNSETTLED_DISPUTE: "贸易纠纷调解未果 / trade disputes mediation could not settle (value: how many)",
  /** Not adverse. */
  GRADE: "有效的信用等级 / a valid credit grade (label: the grade)",
  RED_LIST: "列入红名单 / on a red list",
  ON_TIME_PAYMENTS: "按时付款比例 / the share of payments on time (value: the ratio)",
  OPEN_OBJECTION:
    "企业对记录提出异议、尚未答复 / records under the enterprise's unanswered objection (value: how many)",
} as const;
export type FindingCode = keyof typeof FINDING_CODES;
