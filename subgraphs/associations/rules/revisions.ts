import { EARLIEST_DATE, isoDate, quote } from "../../sdk/validation.ts";
import {
  badInputProblem,
  type Checked,
  forbiddenProblem,
  notFoundProblem,
  ok,
  type Problem,
  refused,
} from "./problem.ts";

/**
 * Credit records and their revisions: what a record's dates must be, what a
 * correction may change, when a record may be corrected or retracted and by
 * whom, and what is kept of the record as it stood before each change.
 */

export const POLARITIES = ["POSITIVE", "NEGATIVE"] as const;
export type Polarity = (typeof POLARITIES)[number];

export const CREDIT_CATEGORIES = [
  "AWARD",
  "CERTIFICATION",
  "CONTRACT_PERFORMANCE",
  "PAYMENT",
  "CONTRACT_BREACH",
  "PRODUCT_QUALITY",
  "ADMINISTRATIVE_PENALTY",
  "JUDICIAL",
  "TAX",
  "SELF_DISCIPLINE",
  "OTHER",
] as const;
export type CreditCategory = (typeof CREDIT_CATEGORIES)[number];

export type RecordStatus = "ACTIVE" | "RETRACTED";

/** The facts of a record the revision rules read. */
export interface RecordState {
  ownerId: string;
  status: RecordStatus;
  version: number;
  occurredOn: Date;
  endedOn: Date | null;
}

/** What one change sets on a record; fields left out stay as they are. */
export interface RecordPatch {
  polarity?: Polarity;
  category?: CreditCategory;
  summary?: string;
  source?: string;
  occurredOn?: Date;
  endedOn?: Date | null;
  evidenceRef?: string | null;
  status?: "RETRACTED";
}

/** A correction as asked for, its texts already checked: null or left out, a field stays (an explicit null clears endedOn and evidenceRef). */
export interface RecordChanges {
  polarity?: Polarity | null;
  category?: CreditCategory | null;
  summary?: string | null;
  source?: string | null;
  occurredOn?: Date | null;
  endedOn?: Date | null;
  evidenceRef?: string | null;
}

/** A fact's date: not in the future, not before any enterprise existed. */
export function factDateProblem(date: Date, now: Date, field: string): Problem | null {
  if (date.getTime() > now.getTime()) return badInputProblem(`${field} (${isoDate(date)}) is in the future.`);
  if (date.getTime() < EARLIEST_DATE.getTime())
    return badInputProblem(
      `${field} (${isoDate(date)}) is before ${isoDate(EARLIEST_DATE)}; no enterprise fact is that old.`,
    );
  return null;
}

/** A record's dates: both past, the behaviour ending no earlier than it began. */
export function recordDatesProblem(record: { occurredOn: Date; endedOn: Date | null }, now: Date): Problem | null {
  const { occurredOn, endedOn } = record;
  return (
    factDateProblem(occurredOn, now, "occurredOn") ??
    (endedOn ? factDateProblem(endedOn, now, "endedOn") : null) ??
    (endedOn && endedOn.getTime() < occurredOn.getTime() ? badInputProblem("endedOn is before occurredOn.") : null)
  );
}

/** The fields a correction changes, or the problem that it changes none. */
export function correctionPatch(changes: RecordChanges): Checked<RecordPatch> {
  const patch: RecordPatch = {};
  if (changes.polarity) patch.polarity = changes.polarity;
  if (changes.category) patch.category = changes.category;
  if (changes.summary != null) patch.summary = changes.summary;
  if (changes.source != null) patch.source = changes.source;
  if (changes.occurredOn) patch.occurredOn = changes.occurredOn;
  if (changes.endedOn !== undefined) patch.endedOn = changes.endedOn;
  if (changes.evidenceRef !== undefined) patch.evidenceRef = changes.evidenceRef;
  if (Object.keys(patch).length === 0) return refused(badInputProblem("Give at least one field to correct."));
  return ok(patch);
}

/** One change to a record, decided on the record as it is when the change lands. */
export type RecordChange = (current: RecordState) => Checked<RecordPatch>;

/** A correction: only of an active record, and its dates, once corrected, still consistent. */
export function correction(patch: RecordPatch, now: Date): RecordChange {
  return (current) => {
    if (current.status !== "ACTIVE") return refused(badInputProblem("A retracted record cannot be corrected."));
    const problem = recordDatesProblem(
      {
        occurredOn: patch.occurredOn ?? current.occurredOn,
        endedOn: patch.endedOn === undefined ? current.endedOn : patch.endedOn,
      },
      now,
    );
    return problem ? refused(problem) : ok(patch);
  };
}

/** A retraction: once. */
export const retraction: RecordChange = (current) =>
  current.status === "RETRACTED"
    ? refused(badInputProblem("This record is already retracted."))
    : ok({ status: "RETRACTED" as const });

/** The record this owner may change (null: not there) at this version (null: any), or why not. */
export function revisable<R extends Pick<RecordState, "ownerId" | "version">>(
  current: R | null,
  request: { id: string; ownerId: string; expectedVersion: number | null },
): Checked<R> {
  if (!current) return refused(notFoundProblem(`No credit record ${quote(request.id)}.`));
  if (current.ownerId !== request.ownerId)
    return refused(forbiddenProblem("Only the association that keeps this record can change it."));
  if (request.expectedVersion !== null && request.expectedVersion !== current.version)
    return refused(
      badInputProblem(
        `The record is at version ${current.version}, not ${request.expectedVersion}; reload it and try again.`,
      ),
    );
  return ok(current);
}

/**
 * What is kept of a record before a change: its version and its fields as
 * they were (as JSON), without its id, owner and timestamps, which the
 * revision row holds itself or which do not change.
 */
export function revisionOf<
  R extends { id: string; ownerId: string; createdAt: Date; updatedAt: Date; version: number },
>(current: R, reason: string, changedBy: string) {
  const { id, ownerId: _owner, createdAt: _c, updatedAt: _u, version, ...previous } = current;
  return {
    recordId: id,
    version,
    previous: JSON.parse(JSON.stringify(previous)) as Record<string, unknown>,
    reason,
    changedBy,
  };
}

/** How the feed names a revision that landed. */
export function revisionKind(updated: { status: RecordStatus }): "RETRACTED" | "CORRECTED" {
  return updated.status === "RETRACTED" ? "RETRACTED" : "CORRECTED";
}
