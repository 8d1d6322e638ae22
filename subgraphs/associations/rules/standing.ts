import type { Sensitivity } from "../../../protocol/access-terms.ts";
import type { StandingAssessment } from "../../sdk/standing.ts";
import { isoDate } from "../../sdk/validation.ts";
import { type Grade, tierOf } from "./grades.ts";
import { type ListKind, listClass } from "./lists.ts";
import { isSerious, type SanctionLevel, sanctionClass } from "./sanctions.ts";

/**
 * The associations' part of a bank's standing check: what one association's
 * file on an enterprise is, who may know it exists, and what in it speaks
 * against the enterprise — publicly (suspension, serious sanctions, the black
 * list, a C-tier grade) or under the association's classes (negative records
 * in force, notices of criticism, the watch list).
 */

/** One association's file on one enterprise: its membership and what is in force. */
export interface AssociationFileFacts {
  ownerId: string;
  membership: { status: string } | null;
  /** Active records still shared (past retention a negative record no longer counts), newest first. */
  records: readonly { polarity: string; category: string; occurredOn: Date; disputed: boolean }[];
  /** Active sanctions and list entries. */
  sanctions: readonly { level: SanctionLevel; decidedOn: Date; reason: string }[];
  lists: readonly { list: ListKind; enteredOn: Date; reason: string }[];
}

/** The valid evaluation the check reads, if any. */
export interface EvaluationFacts {
  ownerId: string;
  grade: string;
  certificateNumber: string;
}

export const negativeRecords = <F extends Pick<AssociationFileFacts, "records">>(f: F): F["records"] =>
  f.records.filter((r) => r.polarity === "NEGATIVE");

/** A file is there because of what is on it: whoever may know of any one thing on it may know it exists. */
export function fileClass(f: AssociationFileFacts): Sensitivity {
  const reasons: Sensitivity[] = [
    ...(f.membership ? (["PUBLIC"] as const) : []),
    ...(f.records.length ? (["SHARED"] as const) : []),
    ...f.sanctions.map(sanctionClass),
    ...f.lists.map(listClass),
  ];
  return reasons.includes("PUBLIC") ? "PUBLIC" : reasons.includes("SHARED") ? "SHARED" : "MEMBER";
}
export const FILE_RULE =
  "PUBLIC when a membership or a public sanction or list entry is on it, else SHARED (records) or MEMBER";

/** What the associations' files and the valid evaluation say against the enterprise. */
export function standingConcerns(
  files: readonly AssociationFileFacts[],
  evaluation: EvaluationFacts | null,
): StandingAssessment {
  const publicConcerns = [
    ...files
      .filter((f) => f.membership?.status === "SUSPENDED")
      .map((f) => `Membership of association ${f.ownerId} is suspended.`),
    ...files.flatMap((f) =>
      f.sanctions
        .filter((x) => isSerious(x.level))
        .map((x) => `Sanctioned by association ${f.ownerId}: ${x.level} on ${isoDate(x.decidedOn)} (${x.reason}).`),
    ),
    ...files.flatMap((f) =>
      f.lists
        .filter((e) => e.list === "BLACK")
        .map((e) => `On the black list of association ${f.ownerId} since ${isoDate(e.enteredOn)} (${e.reason}).`),
    ),
    ...(evaluation && tierOf(evaluation.grade as Grade) === "C"
      ? [
          `Evaluated ${evaluation.grade} by association ${evaluation.ownerId} (certificate ${evaluation.certificateNumber}).`,
        ]
      : []),
  ];
  const owners = files
    .filter(
      (f) =>
        f.records.length > 0 || f.sanctions.some((x) => !isSerious(x.level)) || f.lists.some((e) => e.list === "WATCH"),
    )
    .map((f) => {
      const bad = negativeRecords(f);
      const disputed = bad.filter((r) => r.disputed).length;
      const concerns = [
        ...(bad.length
          ? [
              `${bad.length} negative credit record(s) in force with association ${f.ownerId} (latest ${isoDate(bad[0]?.occurredOn ?? null)}: ${[...new Set(bad.map((r) => r.category))].join(", ")})${disputed ? `, ${disputed} under the enterprise's objection` : ""}.`,
            ]
          : []),
        ...f.sanctions
          .filter((x) => x.level === "NOTICE_OF_CRITICISM")
          .map((x) => `Criticised in an industry-wide notice by association ${f.ownerId} on ${isoDate(x.decidedOn)}.`),
        ...f.lists
          .filter((e) => e.list === "WATCH")
          .map((e) => `On the watch list of association ${f.ownerId} since ${isoDate(e.enteredOn)}.`),
      ];
      return { ownerId: f.ownerId, concerns };
    });
  return { publicConcerns, owners };
}
