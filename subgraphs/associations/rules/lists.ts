import type { Sensitivity } from "../../../protocol/access-terms.ts";
import { isoDate } from "../../sdk/validation.ts";
import { badInputProblem, forbiddenProblem, type Problem } from "./problem.ts";

/**
 * Red (honours), black (serious dishonesty) and watch lists: who sees which,
 * who may be listed, when an enterprise may leave by credit repair, and the
 * enterprise's objection (answered within 20 days, as for records).
 */

export const LIST_KINDS = ["RED", "BLACK", "WATCH"] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** How long an enterprise stays on a list before it may leave by credit repair (null: it leaves when the association decides). */
export const REPAIR_AFTER_YEARS: Record<ListKind, number | null> = { RED: null, BLACK: 3, WATCH: 1 };

/** How long the association has to answer an objection to a list entry. */
export const LIST_OBJECTION_DAYS = 20;

/** Red and black lists are published; the watch list is for those the association shares with. */
export function listClass(e: { list: ListKind }): Sensitivity {
  return e.list === "WATCH" ? "SHARED" : "PUBLIC";
}
export const LIST_RULE = "PUBLIC on the RED and BLACK lists, SHARED on the WATCH list";

/** The first day an enterprise listed on `enteredOn` may leave the list by credit repair, or null. */
export function exitEligibleOn(list: ListKind, enteredOn: Date): Date | null {
  const years = REPAIR_AFTER_YEARS[list];
  if (years === null) return null;
  const d = new Date(enteredOn);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/** An association lists its own members (or former members), once per list at a time. */
export function listingProblem(
  input: { uscc: string; list: ListKind },
  membership: object | null,
  alreadyListed: { enteredOn: Date } | null,
): Problem | null {
  // An association's lists judge its own members, as its convention binds only them: a public black
  // list entry about any other enterprise would be one organisation's verdict on a stranger.
  if (!membership)
    return badInputProblem(`${input.uscc} has never been a member of your association; only members are listed.`);
  if (alreadyListed)
    return badInputProblem(
      `${input.uscc} is already on your ${input.list} list since ${isoDate(alreadyListed.enteredOn)}.`,
    );
  return null;
}

/** The facts of a list entry the rules read. */
export interface ListEntryState {
  ownerId: string;
  uscc: string;
  list: ListKind;
  status: "ACTIVE" | "EXITED";
  exitedOn: Date | null;
  exitEligibleOn: Date | null;
  objectedAt: Date | null;
  objectionAnsweredAt: Date | null;
}

/** While the enterprise's objection is unanswered. */
export const listEntryDisputed = (e: Pick<ListEntryState, "objectedAt" | "objectionAnsweredAt">): boolean =>
  e.objectedAt !== null && e.objectionAnsweredAt === null;

/** Whether this association may take the enterprise off the list now: before the repair period ends, only an entry made in error. */
export function removalProblem(
  entry: ListEntryState,
  callerId: string,
  listedInError: boolean,
  now: Date,
): Problem | null {
  if (entry.ownerId !== callerId)
    return forbiddenProblem("Only the association that listed the enterprise can take it off the list.");
  if (entry.status !== "ACTIVE") return badInputProblem(`The enterprise left this list on ${isoDate(entry.exitedOn)}.`);
  if (!listedInError && entry.exitEligibleOn && now < entry.exitEligibleOn)
    return badInputProblem(
      `Credit repair can take the enterprise off the ${entry.list} list from ${isoDate(entry.exitEligibleOn)}; before that only an entry made in error can be removed.`,
    );
  return null;
}

/** Why the enterprise left the list, as kept with the entry. */
export const exitReasonFor = (reason: string, listedInError: boolean): string =>
  listedInError ? `Listed in error: ${reason}` : reason;

/** Whether this caller may object to the entry: the enterprise on it, while it is on it, one objection at a time. */
export function listObjectionProblem(
  entry: ListEntryState,
  caller: { organisationType: string; uscc: string | null },
): Problem | null {
  if (caller.organisationType !== "ENTERPRISE" || caller.uscc !== entry.uscc)
    return forbiddenProblem("Only the enterprise on the list can object to it.");
  if (entry.status !== "ACTIVE") return badInputProblem("The enterprise is no longer on this list.");
  if (listEntryDisputed(entry)) return badInputProblem("Your objection to this entry awaits its answer.");
  return null;
}

/** When the answer to an objection to a list entry filed at `at` is due. */
export const listObjectionDueAt = (at: Date): Date => new Date(at.getTime() + LIST_OBJECTION_DAYS * 86_400_000);

/** Whether this association may answer an objection to the entry: its own entry, an open objection. */
export function listAnswerProblem(entry: ListEntryState, callerId: string): Problem | null {
  if (entry.ownerId !== callerId)
    return forbiddenProblem("Only the association that listed the enterprise answers objections to it.");
  if (!entry.objectedAt || entry.objectionAnsweredAt)
    return badInputProblem("There is no open objection to this entry.");
  return null;
}

/** How an entry leaves the list when the answer to the objection removes it. */
export const removedOnObjection = (answer: string, at: Date) => ({
  status: "EXITED" as const,
  exitedOn: at,
  exitReason: `Removed on objection: ${answer}`,
});
