/**
 * The access vocabulary the gateway and every owner share: sensitivity
 * classes and purposes. The decision itself is the SDK's (subgraphs/sdk/access.ts).
 */
/**
 * Sensitivity classes, declared once on every credit-data field where it is
 * defined (see `classified`), and the one function that decides them.
 *
 * - PUBLIC: anyone.
 * - MEMBER: the owning organisation and the enterprise the row is about.
 * - SHARED: those, plus organisations the owner granted SHARED for the caller's purpose.
 * - CONSENT: those, plus organisations holding a CONSENT grant for the purpose
 *   *and* the enterprise's live consent for this caller and purpose.
 * - INTERNAL: the owning organisation only.
 */
export const SENSITIVITY_CLASSES = ["PUBLIC", "MEMBER", "SHARED", "CONSENT", "INTERNAL"] as const;
export type Sensitivity = (typeof SENSITIVITY_CLASSES)[number];

/** Classes an owner can grant to others; MEMBER and INTERNAL follow from who you are. */
export const GRANTABLE_CLASSES = ["SHARED", "CONSENT"] as const satisfies readonly Sensitivity[];

/** Why data is asked for; stated per request (`x-purpose`), matched against grants and consents. */
export const PURPOSES = [
  "LOAN_APPROVAL",
  "CREDIT_CARD_APPROVAL",
  "GUARANTEE_REVIEW",
  "POST_LOAN_MONITORING",
  "INSURANCE_UNDERWRITING",
  "CREDIT_REPORTING",
  "SUPERVISION",
  "TRADE_PARTNER_REVIEW",
  "DISPUTE_MEDIATION",
] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * How a credit report tells queries apart: those an application for credit
 * caused (they may weigh on the applicant) and those that watch an existing
 * relationship.
 */
export function queryKind(purpose: string | null): "APPLICATION" | "MONITORING" | "OTHER" {
  if (
    purpose === "LOAN_APPROVAL" ||
    purpose === "CREDIT_CARD_APPROVAL" ||
    purpose === "GUARANTEE_REVIEW" ||
    purpose === "INSURANCE_UNDERWRITING"
  )
    return "APPLICATION";
  return purpose === "POST_LOAN_MONITORING" ? "MONITORING" : "OTHER";
}

export function isPurpose(value: string | null): value is Purpose {
  return value !== null && (PURPOSES as readonly string[]).includes(value);
}
