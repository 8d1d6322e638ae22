import { quote } from "../../sdk/validation.ts";
import { badInputProblem, type Checked, notFoundProblem, ok, type Problem, refused } from "./problem.ts";

/**
 * The enterprise's rights over records about it: it objects (the record shows
 * as disputed at once, and the owner answers within 20 days: corrected,
 * upheld or removed), and it attaches its own statement to a negative record.
 */

/** How long the owner has to answer an objection (the seed policy's 20 days). */
export const ANSWER_DAYS = 20;
const DAY_MS = 86_400_000;

export const OBJECTION_OUTCOMES = ["CORRECTED", "UPHELD", "REMOVED"] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
export type ObjectionStatus = "OPEN" | ObjectionOutcome;

/** When the answer to an objection filed at `filedAt` is due. */
export function answerDueAt(filedAt: Date): Date {
  return new Date(filedAt.getTime() + ANSWER_DAYS * DAY_MS);
}

/** Still open after its due time. */
export function isOverdue(objection: { status: string; dueAt: Date }, now: Date): boolean {
  return objection.status === "OPEN" && objection.dueAt.getTime() < now.getTime();
}

/** An answer given after the due time. */
export const answeredLate = (objection: { dueAt: Date }, at: Date): boolean => at > objection.dueAt;

/** To the enterprise, a record not about it is not there. */
const noRecordAboutYou = (recordId: string) => notFoundProblem(`No credit record ${quote(recordId)} about you.`);

/** The record the enterprise (acting for `enterpriseUscc`) may object to (null: not there), or why not. */
export function objectable<R extends { uscc: string; status: string; disputed: boolean }>(
  record: R | null,
  enterpriseUscc: string | null,
  recordId: string,
): Checked<R> {
  if (!record || record.uscc !== enterpriseUscc) return refused(noRecordAboutYou(recordId));
  if (record.status !== "ACTIVE") return refused(badInputProblem("A retracted record cannot be objected to."));
  if (record.disputed) return refused(badInputProblem("An objection to this record is already open."));
  return ok(record);
}

/** Corrected fields come with CORRECTED, and only with it. */
export function answerShapeProblem(outcome: ObjectionOutcome, hasChanges: boolean): Problem | null {
  return (outcome === "CORRECTED") !== hasChanges
    ? badInputProblem("Give changes with CORRECTED, and only with CORRECTED.")
    : null;
}

/** The objection this association may answer (null: not there): its own, still open; or why not. */
export function answerable<O extends { ownerId: string; status: ObjectionStatus }>(
  objection: O | null,
  callerId: string,
  objectionId: string,
): Checked<O> {
  if (!objection || objection.ownerId !== callerId)
    return refused(notFoundProblem(`No objection ${quote(objectionId)} to your records.`));
  if (objection.status !== "OPEN")
    return refused(badInputProblem(`This objection was already answered (${objection.status}).`));
  return ok(objection);
}

/** What answering an objection does to its record besides ending the dispute. */
export function answerEffects(outcome: ObjectionOutcome): { corrects: boolean; retracts: boolean } {
  return { corrects: outcome === "CORRECTED", retracts: outcome === "REMOVED" };
}

/** The record the enterprise may attach a statement to (null: not there): a negative record about it; or why not. */
export function statementTarget<R extends { uscc: string; polarity: string }>(
  record: R | null,
  enterpriseUscc: string | null,
  recordId: string,
): Checked<R> {
  if (!record || record.uscc !== enterpriseUscc) return refused(noRecordAboutYou(recordId));
  if (record.polarity !== "NEGATIVE") return refused(badInputProblem("Statements are attached to negative records."));
  return ok(record);
}
