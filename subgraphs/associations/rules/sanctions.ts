import type { Sensitivity } from "../../../protocol/access-terms.ts";
import { levelAtLeast, type SanctionLevel } from "../../../protocol/credit-terms.ts";
import { isoDate } from "../../sdk/validation.ts";
import { badInputProblem, type Checked, forbiddenProblem, ok, type Problem, refused } from "./problem.ts";

/**
 * Self-discipline sanctions: levels in rising order, who sees each, what each
 * sets off (joint punishment: from public condemnation up a sanction is
 * public, voids the valid evaluation and is shared onward as a negative
 * record; membership revoked ends the membership), and when one may be
 * imposed or ended.
 */

export { SANCTION_LEVELS, type SanctionLevel } from "../../../protocol/credit-terms.ts";

export const LEVEL_NAMES: Record<SanctionLevel, string> = {
  WARNING: "警告",
  NOTICE_OF_CRITICISM: "行业内通报批评",
  PUBLIC_CONDEMNATION: "公开谴责",
  MEMBERSHIP_REVOKED: "取消会员资格",
  REPORTED_TO_AUTHORITIES: "向有关部门通报",
};

export function isSerious(level: SanctionLevel): boolean {
  return levelAtLeast(level, "PUBLIC_CONDEMNATION");
}

/** Who sees a sanction: anyone from public condemnation up; an industry-wide notice, those the association shares with; a warning, the member alone. */
export function sanctionClass(s: { level: SanctionLevel }): Sensitivity {
  if (isSerious(s.level)) return "PUBLIC";
  return s.level === "NOTICE_OF_CRITICISM" ? "SHARED" : "MEMBER";
}
export const LEVEL_RULE = "PUBLIC from PUBLIC_CONDEMNATION up, SHARED for NOTICE_OF_CRITICISM, MEMBER for WARNING";

/** What imposing a sanction of this level sets off. */
export function sanctionEffects(level: SanctionLevel): {
  /** Shared onward as a negative credit record, in the bureaus' feed (joint punishment). */
  sharedOnward: boolean;
  /** The enterprise's valid evaluation is voided. */
  voidsEvaluation: boolean;
  /** The membership ends. */
  endsMembership: boolean;
} {
  const serious = isSerious(level);
  return { sharedOnward: serious, voidsEvaluation: serious, endsMembership: level === "MEMBERSHIP_REVOKED" };
}

/** The facts of a sanction the rules read. */
export interface SanctionFacts {
  id: string;
  ownerId: string;
  uscc: string;
  level: SanctionLevel;
  reason: string;
  clause: string | null;
  decidedOn: Date;
}

/** The negative credit record through which a serious sanction is shared onward, with no re-entry. */
export function jointPunishmentRecord(sanction: SanctionFacts, convention: { title: string; version: number }) {
  return {
    ownerId: sanction.ownerId,
    uscc: sanction.uscc,
    polarity: "NEGATIVE" as const,
    category: "SELF_DISCIPLINE" as const,
    summary: `${LEVEL_NAMES[sanction.level]}：${sanction.reason}`,
    source: `自律惩戒决定（${convention.title} 第 ${convention.version} 版${sanction.clause ? `，${sanction.clause}` : ""}）`,
    occurredOn: sanction.decidedOn,
    evidenceRef: `sanction:${sanction.id}`,
  };
}

/** Why a serious sanction voided an evaluation. */
export function voidReasonFor(sanction: Pick<SanctionFacts, "level" | "decidedOn">): string {
  return `Voided by a sanction (${sanction.level}) decided on ${isoDate(sanction.decidedOn)}.`;
}

/** How a membership ends when the sanction revokes it. */
export function revokedMembership(decidedOn: Date, reason: string) {
  return { status: "ENDED" as const, leftOn: decidedOn, endReason: `Membership revoked: ${reason}` };
}

/**
 * The convention and membership a sanction is imposed under, or why it cannot
 * be: the association sanctions its members (a suspended one too) under its
 * own convention. `convention` is null when the one asked for (`conventionId`)
 * is not there, or, none asked for, the association has published none.
 */
export function imposition<
  C extends { ownerId: string },
  M extends { status: "ACTIVE" | "SUSPENDED" | "ENDED" },
>(input: {
  ownerId: string;
  uscc: string;
  conventionId: string | null;
  convention: C | null;
  membership: M | null;
}): Checked<{ convention: C; membership: M }> {
  const { convention, conventionId, membership } = input;
  if (!convention)
    return refused(
      badInputProblem(
        conventionId ? `No convention ${conventionId}.` : "Publish your self-discipline convention first.",
      ),
    );
  if (convention.ownerId !== input.ownerId)
    return refused(forbiddenProblem("Sanction under your own association's convention."));
  if (!membership || membership.status === "ENDED")
    return refused(
      badInputProblem(`${input.uscc} is not a member of your association: only members are held to its convention.`),
    );
  return ok({ convention, membership });
}

export type SanctionStatus = "ACTIVE" | "WITHDRAWN" | "REPAIRED";
export type SanctionEnd = Exclude<SanctionStatus, "ACTIVE">;

/** Whether this association may end this sanction on this day. */
export function endingProblem(
  sanction: { ownerId: string; status: SanctionStatus; decidedOn: Date },
  callerId: string,
  endedOn: Date,
): Problem | null {
  if (sanction.ownerId !== callerId)
    return forbiddenProblem("Only the association that imposed a sanction can end it.");
  if (sanction.status !== "ACTIVE") return badInputProblem(`This sanction already ended (${sanction.status}).`);
  if (endedOn < sanction.decidedOn)
    return badInputProblem(
      `endedOn (${isoDate(endedOn)}) is before the sanction was decided (${isoDate(sanction.decidedOn)}).`,
    );
  return null;
}

/** The reason kept with the retraction of a sanction's shared record. */
export function retractionReasonFor(outcome: SanctionEnd, reason: string): string {
  return `Sanction ${outcome === "REPAIRED" ? "lifted after credit repair" : "withdrawn"}: ${reason}`;
}
