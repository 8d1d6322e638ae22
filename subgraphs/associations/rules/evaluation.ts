import { isoDate, quote } from "../../sdk/validation.ts";
import {
  certificateNumber,
  DEFAULT_GRADE_FLOORS,
  type Grade,
  type GradeFloors,
  gradeFloorsProblem,
  gradeFor,
  validUntil,
} from "./grades.ts";
import { badInputProblem, type Checked, forbiddenProblem, ok, type Problem, refused } from "./problem.ts";

/**
 * Credit evaluation: what a methodology must be (indicators whose weights add
 * up to 1, grade floors), how scores become a total and a grade, who may
 * evaluate whom, the certificate an evaluation gets, and when one may be voided.
 */

// Types, not interfaces: they are stored as JSON, which an interface (without an index signature) is not.
export type Indicator = {
  code: string;
  name: string;
  weight: number;
  description: string | null;
};
export type IndicatorScore = {
  indicator: string;
  score: number;
};

/** More indicators than anyone weighs by hand; bounds what one publication stores. */
export const MAX_INDICATORS = 100;

/** What is wrong with a methodology's indicators (their texts already checked), or null. */
export function indicatorsProblem(indicators: readonly { code: string; weight: number }[]): Problem | null {
  if (indicators.length === 0) return badInputProblem("A methodology needs at least one indicator.");
  if (indicators.length > MAX_INDICATORS)
    return badInputProblem(`A methodology has at most ${MAX_INDICATORS} indicators; got ${indicators.length}.`);
  const codes = indicators.map((i) => i.code);
  const repeated = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (repeated.length)
    return badInputProblem(`Indicator codes must differ; repeated: ${[...new Set(repeated)].join(", ")}.`);
  const bad = indicators.filter((i) => !(i.weight > 0 && i.weight <= 1));
  if (bad.length)
    return badInputProblem(
      `Each weight must be above 0 and at most 1; not so for ${bad.map((i) => quote(i.code)).join(", ")}.`,
    );
  const sum = indicators.reduce((n, i) => n + i.weight, 0);
  if (Math.abs(sum - 1) > 1e-6)
    return badInputProblem(`The weights must add up to 1; they add up to ${Number(sum.toFixed(6))}.`);
  return null;
}

/** The grade floors a publication sets: those given, else the default; checked. */
export function methodologyFloors(
  given: readonly { grade: Grade; lowestScore: number }[] | null | undefined,
): Checked<Record<string, number>> {
  const floors: Record<string, number> = given
    ? Object.fromEntries(given.map((f) => [f.grade, f.lowestScore]))
    : { ...DEFAULT_GRADE_FLOORS };
  const problem = gradeFloorsProblem(floors);
  return problem ? refused(badInputProblem(problem)) : ok(floors);
}

/** A methodology as scoring reads it. */
export interface MethodologyTerms {
  version: number;
  indicators: readonly Indicator[];
  floors: GradeFloors;
}

/** The scores in the methodology's order, the weighted total (to the hundredth) and the grade; or what is wrong with the scores. */
export function scoreEvaluation(
  methodology: MethodologyTerms,
  scores: readonly IndicatorScore[],
): Checked<{ scores: IndicatorScore[]; total: number; grade: Grade }> {
  const given = new Map<string, number>();
  for (const s of scores) {
    if (given.has(s.indicator)) return refused(badInputProblem(`Indicator ${quote(s.indicator)} is scored twice.`));
    if (!(s.score >= 0 && s.score <= 100))
      return refused(badInputProblem(`The score of ${quote(s.indicator)} must be 0–100; got ${s.score}.`));
    given.set(s.indicator, s.score);
  }
  const { indicators } = methodology;
  const unknown = [...given.keys()].filter((code) => !indicators.some((i) => i.code === code));
  if (unknown.length)
    return refused(
      badInputProblem(
        `Methodology v${methodology.version} has no indicator ${unknown.map((u) => quote(u)).join(", ")}.`,
      ),
    );
  const missing = indicators.filter((i) => !given.has(i.code)).map((i) => i.code);
  if (missing.length) return refused(badInputProblem(`Score every indicator; missing ${missing.join(", ")}.`));
  const ordered = indicators.map((i) => ({ indicator: i.code, score: given.get(i.code) ?? 0 }));
  const total = Math.round(indicators.reduce((n, i) => n + i.weight * (given.get(i.code) ?? 0), 0) * 100) / 100;
  return ok({ scores: ordered, total, grade: gradeFor(total, methodology.floors) });
}

/** An association evaluates under its own methodologies only. */
export function methodologyUseProblem(methodology: { ownerId: string }, callerId: string): Problem | null {
  return methodology.ownerId === callerId
    ? null
    : forbiddenProblem("Evaluate under one of your own association's methodologies.");
}

/** An association evaluates its active members, once the hub's operator has given it an evaluator code. */
export function evaluationPrerequisitesProblem(
  uscc: string,
  membership: { status: string } | null,
  evaluatorCode: string | null,
): Problem | null {
  if (membership?.status !== "ACTIVE") return badInputProblem(`${uscc} is not an active member of your association.`);
  if (!evaluatorCode)
    return badInputProblem("Your association has no evaluator code yet: ask the hub's operator to assign one.");
  return null;
}

/** The refusal an association gets when the enterprise already holds a valid evaluation: it names that one. */
export function alreadyEvaluatedProblem(existing: {
  uscc: string;
  certificateNumber: string;
  grade: string;
  ownerId: string;
  validUntil: Date;
}): Problem {
  return badInputProblem(
    `${existing.uscc} already holds a valid evaluation: certificate ${existing.certificateNumber} (grade ${existing.grade}) issued by association ${existing.ownerId}, valid until ${isoDate(existing.validUntil)}. An enterprise holds at most one valid evaluation across all associations.`,
    { existingCertificate: existing.certificateNumber, existingAssociation: existing.ownerId },
  );
}

/** The year whose serials number an evaluation issued on this day. */
export const certificateYear = (issuedOn: Date): number => issuedOn.getUTCFullYear();

/** The certificate of an evaluation: its number from the year's next serial, and its last valid day. */
export function certificateOf(issuedOn: Date, evaluatorCode: string, grade: Grade, serial: number) {
  return {
    certificateNumber: certificateNumber(certificateYear(issuedOn), evaluatorCode, grade, serial),
    issuedOn,
    validUntil: validUntil(issuedOn),
  };
}

/** A certificate number as typed (spaces around it ignored), or why it cannot be one. */
export function certificateNumberQuery(number: string): Checked<string> {
  const trimmed = number.trim();
  return /^\d{15}$/.test(trimmed)
    ? ok(trimmed)
    : refused(badInputProblem(`A certificate number has 15 digits; got ${JSON.stringify(number)}.`));
}

/** An evaluator code is three digits, given once (`current`: the association's code, once read). */
export function evaluatorCodeProblem(code: string, current: { code: string } | null = null): Problem | null {
  if (!/^\d{3}$/.test(code)) return badInputProblem(`An evaluator code is three digits; got ${quote(code)}.`);
  if (current) return badInputProblem(`This association already has evaluator code ${current.code}.`);
  return null;
}

/** Only the issuer voids an evaluation, and only once. */
export function voidingProblem(evaluation: { ownerId: string; status: string }, callerId: string): Problem | null {
  if (evaluation.ownerId !== callerId)
    return forbiddenProblem("Only the association that issued an evaluation can void it.");
  if (evaluation.status === "VOIDED") return badInputProblem("This evaluation is already void.");
  return null;
}

/** The next version of a published text: versions count from 1. */
export const nextVersion = (last: { version: number } | null): number => (last?.version ?? 0) + 1;
