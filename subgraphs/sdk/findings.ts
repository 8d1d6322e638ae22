import type { FindingCode } from "../../protocol/credit-terms.ts";

/**
 * One thing an owner's records say about an enterprise, for a program to weigh
 * (`code`, and `value`/`label`/`since` where it has one) and for a person to
 * read (`message` in Chinese, `messageEn`). Adverse findings weigh against the
 * verdict; the others are facts a bank's programme may ask for. The owner is
 * named where the finding is released; messages never name it, so the
 * registry, which keeps the directory, can put its name in front.
 */
export interface Finding {
  /** Stable: the hub's owners use protocol/credit-terms.ts FINDING_CODES; a partner may add its own. */
  code: FindingCode | (string & {});
  adverse: boolean;
  value?: number | null;
  label?: string | null;
  since?: Date | null;
  message: string;
  messageEn: string;
}

/** What one owner's data about one enterprise says. */
export interface OwnerFindings {
  ownerId: string;
  findings: Finding[];
}

/**
 * A subgraph's findings about one enterprise: those drawn from public facts
 * (released to every bank), and each owner's that hold non-public data about
 * it (released under that owner's CONSENT rule).
 */
export interface StandingAssessment {
  public: OwnerFindings[];
  owners: OwnerFindings[];
}

/** A finding, its code first (the rest optional where the finding has none). */
export const finding = (code: Finding["code"], adverse: boolean, rest: Omit<Finding, "code" | "adverse">): Finding => ({
  code,
  adverse,
  ...rest,
});

/** A finding as released: with the owner it comes from. */
export type ReleasedFinding = Finding & { ownerId: string };

/** The selection of a finding the registry `@requires`: every field of `StandingFinding`. */
export const FINDING_SELECTION = "code ownerId adverse value label since message messageEn";
