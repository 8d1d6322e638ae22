/**
 * The evaluation grades of the seed policy: three tiers, nine grades, each
 * with its three-digit code; and the 15-digit certificate number
 * (year 4 + association code 3 + grade code 3 + serial 5).
 */
import { GRADES, type Grade } from "../../../protocol/credit-terms.ts";

export { GRADES, type Grade, tierOf } from "../../../protocol/credit-terms.ts";

export const GRADE_CODES: Record<Grade, string> = {
  AAA: "111",
  AA: "011",
  A: "001",
  BBB: "222",
  BB: "022",
  B: "002",
  CCC: "333",
  CC: "033",
  C: "003",
};

/** Each grade's lowest total score, highest grade first. A methodology may set its own; these are the default. */
export type GradeFloors = Record<Grade, number>;

export const DEFAULT_GRADE_FLOORS: GradeFloors = {
  AAA: 90,
  AA: 80,
  A: 70,
  BBB: 60,
  BB: 50,
  B: 40,
  CCC: 30,
  CC: 20,
  C: 0,
};

/** What is wrong with a set of floors, or null: every grade, falling strictly from AAA, with C at 0. */
export function gradeFloorsProblem(floors: Record<string, unknown>): string | null {
  const missing = GRADES.filter((g) => typeof floors[g] !== "number" || !Number.isFinite(floors[g]));
  if (missing.length) return `gradeFloors needs a number for every grade; missing ${missing.join(", ")}.`;
  const extra = Object.keys(floors).filter((k) => !(GRADES as readonly string[]).includes(k));
  if (extra.length) return `gradeFloors has grades that do not exist: ${extra.join(", ")}.`;
  if (floors.C !== 0) return "gradeFloors.C must be 0: every score has a grade.";
  for (let i = 1; i < GRADES.length; i++) {
    const higher = GRADES[i - 1] as Grade;
    const lower = GRADES[i] as Grade;
    if ((floors[higher] as number) <= (floors[lower] as number))
      return `gradeFloors must fall from AAA to C: ${higher} (${floors[higher]}) is not above ${lower} (${floors[lower]}).`;
  }
  if ((floors.AAA as number) > 100) return "gradeFloors.AAA cannot be above 100.";
  return null;
}

/** The grade of a total score (0–100) under the floors. */
export function gradeFor(total: number, floors: GradeFloors = DEFAULT_GRADE_FLOORS): Grade {
  for (const grade of GRADES) if (total >= floors[grade]) return grade;
  return "C";
}

/** Year 4 + association code 3 + grade code 3 + serial 5. */
export function certificateNumber(year: number, associationCode: string, grade: Grade, serial: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year ${year} is not four digits`);
  if (!/^\d{3}$/.test(associationCode)) throw new RangeError(`association code ${associationCode} is not three digits`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999)
    throw new RangeError(`serial ${serial} is outside 1–99999`);
  return `${year}${associationCode}${GRADE_CODES[grade]}${String(serial).padStart(5, "0")}`;
}

/** An evaluation is valid for three years: from the day it was issued to the day before its third anniversary, both included. */
export const VALIDITY_YEARS = 3;

export function validUntil(issuedOn: Date): Date {
  const until = new Date(issuedOn);
  until.setUTCFullYear(until.getUTCFullYear() + VALIDITY_YEARS);
  until.setUTCDate(until.getUTCDate() - 1);
  return until;
}

/** Whether an evaluation with this last day is still valid at `now` (dates compared as calendar days, UTC). */
export function stillValid(lastDay: Date, now: Date): boolean {
  return now.toISOString().slice(0, 10) <= lastDay.toISOString().slice(0, 10);
}

/** The first day an evaluation whose last day falls before it is no longer valid: the start of `now`'s UTC day. */
export function validityCutoff(now: Date): Date {
  return new Date(now.toISOString().slice(0, 10));
}

export type EvaluationStatus = "VALID" | "EXPIRED" | "VOIDED";

/** The status as of now: a VALID evaluation past its last day is EXPIRED, whether or not a write has marked it yet. */
export function evaluationStatus(e: { status: EvaluationStatus; validUntil: Date }, now: Date): EvaluationStatus {
  if (e.status === "VALID" && !stillValid(e.validUntil, now)) return "EXPIRED";
  return e.status;
}
