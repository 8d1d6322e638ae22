import type { ConsentBasis } from "../../../protocol/hub-token.ts";

/** The JWS type of the registry's consent receipts: kept apart from owners' signed records and audit checkpoints. */
export const CONSENT_RECEIPT_TYPE = "consent-receipt+jwt";

/** What the rules below read of a consent. */
export interface ConsentTerms {
  uscc: string;
  id: string;
  /** Owners it covers (organisation ids); empty: every owner. */
  ownerIds: string[];
  grantedAt: Date;
}

/** The most consents one enterprise's part of a hub token carries: the token stays small whatever an enterprise gave. */
const MAX_CONSENTS_PER_ENTERPRISE = 5;

/**
 * The consents the gateway carries for each enterprise: the newest that covers every owner, when there is one (it is
 * all any owner needs); otherwise the newest few, each for some owners. An owner cites the one that covers it.
 */
export function bestConsents(consents: readonly ConsentTerms[]): ConsentBasis[] {
  const byEnterprise = new Map<string, ConsentTerms[]>();
  for (const c of [...consents].sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime()))
    byEnterprise.set(c.uscc, [...(byEnterprise.get(c.uscc) ?? []), c]);
  return [...byEnterprise.values()].flatMap((given) => {
    const whole = given.find((c) => c.ownerIds.length === 0);
    return (whole ? [whole] : given.slice(0, MAX_CONSENTS_PER_ENTERPRISE)).map((c) => ({
      uscc: c.uscc,
      consentId: c.id,
      owners: c.ownerIds,
    }));
  });
}

export type ConsentRequestState = "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED" | "REVOKED";

/** Where a consent request stands: its answer, and once approved, whether the consent it gave still holds. */
export function consentRequestState(
  request: { answer: string | null; answerBy: Date },
  consent: { expiresAt: Date; revokedAt: Date | null } | null,
  now: Date,
): ConsentRequestState {
  if (request.answer === "REJECTED") return "REJECTED";
  if (request.answer === "APPROVED" && consent) {
    if (consent.revokedAt) return "REVOKED";
    return consent.expiresAt.getTime() > now.getTime() ? "APPROVED" : "EXPIRED";
  }
  return request.answerBy.getTime() > now.getTime() ? "PENDING" : "EXPIRED";
}

/** The moment `months` calendar months after `from` (the last day of a shorter month when the day is past it). */
export function monthsAfter(from: Date, months: number): Date {
  const to = new Date(from);
  const day = to.getUTCDate();
  to.setUTCDate(1);
  to.setUTCMonth(to.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0)).getUTCDate();
  to.setUTCDate(Math.min(day, lastDay));
  return to;
}

/** The latest a consent given now may last (`months` calendar months on), and that span in whole days. */
export function consentHorizon(now: Date, months: number): { until: Date; days: number } {
  const until = monthsAfter(now, months);
  return { until, days: Math.floor((until.getTime() - now.getTime()) / 86_400_000) };
}

/**
 * Until when an approval gives consent: the enterprise may shorten what was asked, never lengthen it, and no consent
 * outlasts the hub's maximum. An error message (Chinese, then English) when the enterprise's answer cannot stand.
 */
export function approvedUntil(
  asked: { days: number },
  answer: { days?: number | null },
  now: Date,
  maxUntil: Date,
): { until: Date } | { problem: string } {
  const days = answer.days ?? asked.days;
  if (!Number.isInteger(days) || days < 1)
    return { problem: `同意期限至少一天 / A consent lasts at least one day (got ${days}).` };
  if (days > asked.days)
    return {
      problem: `同意期限不能长于请求的 ${asked.days} 天 / You can consent for at most the ${asked.days} days asked, not ${days}.`,
    };
  const until = new Date(now.getTime() + days * 86_400_000);
  if (until.getTime() > maxUntil.getTime())
    return {
      problem: `同意期限超过本平台允许的最长期限 / A consent may last until ${maxUntil.toISOString()} at the latest.`,
    };
  return { until };
}
