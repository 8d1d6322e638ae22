import type { Sensitivity } from "../../../protocol/access-terms.ts";
import { type Finding, finding, type OwnerFindings, type StandingAssessment } from "../../sdk/findings.ts";
import { isoDate } from "../../sdk/validation.ts";
import { type Grade, tierOf } from "./grades.ts";
import { type ListKind, listClass } from "./lists.ts";
import { isSerious, LEVEL_NAMES, type SanctionLevel, sanctionClass } from "./sanctions.ts";

/**
 * The associations' part of a bank's standing check: what one association's
 * file on an enterprise is, who may know it exists, and what in it speaks
 * against the enterprise — publicly (suspension, serious sanctions, the black
 * list, a C-tier grade) or under the association's classes (negative records
 * in force, notices of criticism, the watch list) — and what a bank's
 * programme may ask for (the grade, the red list, open objections).
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

/** What the associations' files and the valid evaluation say about the enterprise. */
export function standingFindings(
  files: readonly AssociationFileFacts[],
  evaluation: EvaluationFacts | null,
): StandingAssessment {
  const publicFindings: OwnerFindings[] = files.map((f) => ({
    ownerId: f.ownerId,
    findings: [
      ...(f.membership?.status === "SUSPENDED"
        ? [finding("MEMBERSHIP_SUSPENDED", true, { message: "会员资格被暂停", messageEn: "Membership suspended." })]
        : []),
      ...f.sanctions.filter((x) => isSerious(x.level)).map(sanctionFinding),
      ...f.lists
        .filter((e) => e.list !== "WATCH")
        .map((e) =>
          e.list === "BLACK"
            ? finding("BLACK_LIST", true, {
                since: e.enteredOn,
                message: `${isoDate(e.enteredOn)} 起列入黑名单（${e.reason}）`,
                messageEn: `On the black list since ${isoDate(e.enteredOn)} (${e.reason}).`,
              })
            : finding("RED_LIST", false, {
                since: e.enteredOn,
                message: `${isoDate(e.enteredOn)} 起列入红名单`,
                messageEn: `On the red list since ${isoDate(e.enteredOn)}.`,
              }),
        ),
    ],
  }));
  if (evaluation) {
    const low = tierOf(evaluation.grade as Grade) === "C";
    publicFindings.push({
      ownerId: evaluation.ownerId,
      findings: [
        finding(low ? "LOW_GRADE" : "GRADE", low, {
          label: evaluation.grade,
          message: `信用等级 ${evaluation.grade}（证书编号 ${evaluation.certificateNumber}）`,
          messageEn: `Credit grade ${evaluation.grade} (certificate ${evaluation.certificateNumber}).`,
        }),
      ],
    });
  }
  const owners = files
    .filter(
      (f) =>
        f.records.length > 0 || f.sanctions.some((x) => !isSerious(x.level)) || f.lists.some((e) => e.list === "WATCH"),
    )
    .map((f) => {
      const bad = negativeRecords(f);
      const objected = f.records.filter((r) => r.disputed).length;
      const categories = [...new Set(bad.map((r) => r.category))].join(", ");
      const latest = bad[0]?.occurredOn ?? null;
      const findings = [
        ...(bad.length
          ? [
              finding("NEGATIVE_RECORD", true, {
                value: bad.length,
                label: categories,
                since: latest,
                message: `有效的不良信用记录 ${bad.length} 条（最近一条 ${isoDate(latest)}：${categories}）`,
                messageEn: `${bad.length} negative credit record(s) in force (latest ${isoDate(latest)}: ${categories}).`,
              }),
            ]
          : []),
        ...(objected
          ? [
              finding("OPEN_OBJECTION", false, {
                value: objected,
                message: `企业对 ${objected} 条记录提出异议，尚未答复`,
                messageEn: `${objected} record(s) under the enterprise's objection, not yet answered.`,
              }),
            ]
          : []),
        ...f.sanctions.filter((x) => x.level === "NOTICE_OF_CRITICISM").map(sanctionFinding),
        ...f.lists
          .filter((e) => e.list === "WATCH")
          .map((e) =>
            finding("WATCH_LIST", true, {
              since: e.enteredOn,
              message: `${isoDate(e.enteredOn)} 起列入重点关注名单`,
              messageEn: `On the watch list since ${isoDate(e.enteredOn)}.`,
            }),
          ),
      ];
      return { ownerId: f.ownerId, findings };
    });
  return { public: publicFindings.filter((o) => o.findings.length), owners };
}

function sanctionFinding(x: AssociationFileFacts["sanctions"][number]): Finding {
  return finding("ACTIVE_SANCTION", true, {
    label: x.level,
    since: x.decidedOn,
    message: `${isoDate(x.decidedOn)} 受到惩戒：${LEVEL_NAMES[x.level]}（${x.reason}）`,
    messageEn: `Sanctioned on ${isoDate(x.decidedOn)}: ${x.level} (${x.reason}).`,
  });
}
