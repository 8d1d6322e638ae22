import { describe, expect, it } from "vitest";
import {
  exitEligibleOn,
  exitReasonFor,
  LIST_KINDS,
  type ListEntryState,
  listAnswerProblem,
  listClass,
  listEntryDisputed,
  listingProblem,
  listObjectionDueAt,
  listObjectionProblem,
  removalProblem,
  removedOnObjection,
} from "../../subgraphs/associations/rules/lists.ts";
import { type AssociationFileFacts, fileClass, standingFindings } from "../../subgraphs/associations/rules/standing.ts";

/** Red, black and watch lists, and the associations' part of a bank's standing check. No hub, no database. */

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const USCC = "91310115MA1K000001";

const entry = (overrides: Partial<ListEntryState> = {}): ListEntryState => ({
  ownerId: "assoc-1",
  uscc: USCC,
  list: "BLACK",
  status: "ACTIVE",
  exitedOn: null,
  exitEligibleOn: day("2029-01-10"),
  objectedAt: null,
  objectionAnsweredAt: null,
  ...overrides,
});

describe("lists", () => {
  /** The policy's table: who sees each list, and how long until credit repair may take an enterprise off it. */
  const LISTS = {
    RED: { seenBy: "PUBLIC", repairAfter: null },
    BLACK: { seenBy: "PUBLIC", repairAfter: "2029-01-10" },
    WATCH: { seenBy: "SHARED", repairAfter: "2027-01-10" },
  } as const;

  it.each(LIST_KINDS)(
    "when an enterprise is put on the %s list, then it is seen and may leave as the policy says",
    (list) => {
      expect(listClass({ list })).toBe(LISTS[list].seenBy);
      expect(exitEligibleOn(list, day("2026-01-10"))?.toISOString().slice(0, 10) ?? null).toBe(LISTS[list].repairAfter);
    },
  );

  it("when the enterprise was never a member, then it cannot be listed", () => {
    expect(listingProblem({ uscc: USCC, list: "BLACK" }, null, null)?.message).toBe(
      `${USCC} has never been a member of your association; only members are listed.`,
    );
  });

  it("when the enterprise is already on that list, then it says since when", () => {
    expect(listingProblem({ uscc: USCC, list: "WATCH" }, {}, { enteredOn: day("2025-05-05") })?.message).toBe(
      `${USCC} is already on your WATCH list since 2025-05-05.`,
    );
    expect(listingProblem({ uscc: USCC, list: "WATCH" }, {}, null)).toBeNull();
  });

  it("when the repair period has passed, then the association may take the enterprise off the list", () => {
    expect(removalProblem(entry(), "assoc-1", false, day("2029-01-10"))).toBeNull();
  });

  it("when the repair period has not passed, then only an entry made in error can be removed", () => {
    expect(removalProblem(entry(), "assoc-1", false, day("2029-01-09"))?.message).toBe(
      "Credit repair can take the enterprise off the BLACK list from 2029-01-10; before that only an entry made in error can be removed.",
    );
    expect(removalProblem(entry(), "assoc-1", true, day("2026-01-11"))).toBeNull();
    expect(exitReasonFor("误列", true)).toBe("Listed in error: 误列");
    expect(exitReasonFor("信用修复完成", false)).toBe("信用修复完成");
  });

  it("when the entry is on the red list, then the association may end it at any time", () => {
    expect(
      removalProblem(entry({ list: "RED", exitEligibleOn: null }), "assoc-1", false, day("2026-01-11")),
    ).toBeNull();
  });

  it("when another association or an exited entry is concerned, then removal is refused", () => {
    expect(removalProblem(entry(), "assoc-2", true, day("2030-01-01"))?.code).toBe("FORBIDDEN");
    expect(
      removalProblem(entry({ status: "EXITED", exitedOn: day("2029-02-01") }), "assoc-1", true, day("2030-01-01"))
        ?.message,
    ).toBe("The enterprise left this list on 2029-02-01.");
  });

  it("when the listed enterprise objects, then it may, once at a time, answered within 20 days", () => {
    const enterprise = { organisationType: "ENTERPRISE", uscc: USCC };
    expect(listObjectionProblem(entry(), enterprise)).toBeNull();
    expect(listObjectionDueAt(new Date("2026-06-01T12:00:00Z")).toISOString()).toBe("2026-06-21T12:00:00.000Z");
    const open = entry({ objectedAt: day("2026-06-01") });
    expect(listEntryDisputed(open)).toBe(true);
    expect(listObjectionProblem(open, enterprise)?.message).toBe("Your objection to this entry awaits its answer.");
    const answered = entry({ objectedAt: day("2026-06-01"), objectionAnsweredAt: day("2026-06-10") });
    expect(listEntryDisputed(answered)).toBe(false);
    expect(listObjectionProblem(answered, enterprise)).toBeNull();
  });

  it("when someone other than the listed enterprise objects, then it is forbidden", () => {
    expect(listObjectionProblem(entry(), { organisationType: "ENTERPRISE", uscc: "91110000100000000X" })?.code).toBe(
      "FORBIDDEN",
    );
    expect(listObjectionProblem(entry(), { organisationType: "FINANCIAL", uscc: USCC })?.code).toBe("FORBIDDEN");
    expect(
      listObjectionProblem(entry({ status: "EXITED" }), { organisationType: "ENTERPRISE", uscc: USCC })?.message,
    ).toBe("The enterprise is no longer on this list.");
  });

  it("when the association answers, then only its own entry with an open objection; removal exits the entry", () => {
    const open = entry({ objectedAt: day("2026-06-01") });
    expect(listAnswerProblem(open, "assoc-1")).toBeNull();
    expect(listAnswerProblem(open, "assoc-2")?.code).toBe("FORBIDDEN");
    expect(listAnswerProblem(entry(), "assoc-1")?.message).toBe("There is no open objection to this entry.");
    expect(removedOnObjection("核实有误", day("2026-06-10"))).toEqual({
      status: "EXITED",
      exitedOn: day("2026-06-10"),
      exitReason: "Removed on objection: 核实有误",
    });
  });
});

describe("standing", () => {
  const file = (overrides: Partial<AssociationFileFacts> = {}): AssociationFileFacts => ({
    ownerId: "assoc-1",
    membership: null,
    records: [],
    sanctions: [],
    lists: [],
    ...overrides,
  });
  const negative = (occurredOn: string, category: string, disputed = false) => ({
    polarity: "NEGATIVE",
    category,
    occurredOn: day(occurredOn),
    disputed,
  });

  it.each([
    ["a membership", file({ membership: { status: "ACTIVE" } }), "PUBLIC"],
    [
      "a public condemnation",
      file({ sanctions: [{ level: "PUBLIC_CONDEMNATION", decidedOn: day("2026-01-01"), reason: "r" }] }),
      "PUBLIC",
    ],
    ["a black-list entry", file({ lists: [{ list: "BLACK", enteredOn: day("2026-01-01"), reason: "r" }] }), "PUBLIC"],
    ["records only", file({ records: [negative("2026-01-01", "TAX")] }), "SHARED"],
    [
      "a watch-list entry only",
      file({ lists: [{ list: "WATCH", enteredOn: day("2026-01-01"), reason: "r" }] }),
      "SHARED",
    ],
    [
      "a warning only",
      file({ sanctions: [{ level: "WARNING", decidedOn: day("2026-01-01"), reason: "r" }] }),
      "MEMBER",
    ],
  ])("when a file holds %s, then whoever may know of it is %s", (_name, f, cls) => {
    expect(fileClass(f)).toBe(cls);
  });

  const codes = (owners: { ownerId: string; findings: { code: string; adverse: boolean }[] }[]) =>
    owners.map((o) => ({ ownerId: o.ownerId, findings: o.findings.map((f) => `${f.code}${f.adverse ? "!" : ""}`) }));

  it("when nothing speaks against the enterprise, then there are no findings", () => {
    expect(standingFindings([file({ membership: { status: "ACTIVE" } })], null)).toEqual({ public: [], owners: [] });
  });

  it("when the enterprise is suspended, seriously sanctioned, black-listed and graded C, then each is a public adverse finding", () => {
    const found = standingFindings(
      [
        file({
          membership: { status: "SUSPENDED" },
          sanctions: [{ level: "MEMBERSHIP_REVOKED", decidedOn: day("2026-02-01"), reason: "违约" }],
          lists: [{ list: "BLACK", enteredOn: day("2026-02-02"), reason: "失信" }],
        }),
      ],
      { ownerId: "assoc-2", grade: "CC", certificateNumber: "202600203300001" },
    );
    expect(codes(found.public)).toEqual([
      { ownerId: "assoc-1", findings: ["MEMBERSHIP_SUSPENDED!", "ACTIVE_SANCTION!", "BLACK_LIST!"] },
      { ownerId: "assoc-2", findings: ["LOW_GRADE!"] },
    ]);
    const [suspended, sanction] = found.public[0]?.findings ?? [];
    expect(suspended?.message).toBe("会员资格被暂停");
    expect(sanction).toMatchObject({
      label: "MEMBERSHIP_REVOKED",
      since: day("2026-02-01"),
      message: "2026-02-01 受到惩戒：取消会员资格（违约）",
      messageEn: "Sanctioned on 2026-02-01: MEMBERSHIP_REVOKED (违约).",
    });
    expect(found.public[1]?.findings[0]).toMatchObject({
      label: "CC",
      messageEn: "Credit grade CC (certificate 202600203300001).",
    });
    expect(found.owners).toEqual([]);
  });

  it("when the grade is in the A or B tier or the enterprise is on the red list, then those are public findings that are not adverse", () => {
    const found = standingFindings([file({ lists: [{ list: "RED", enteredOn: day("2026-01-01"), reason: "r" }] })], {
      ownerId: "a",
      grade: "B",
      certificateNumber: "x",
    });
    expect(codes(found.public)).toEqual([
      { ownerId: "assoc-1", findings: ["RED_LIST"] },
      { ownerId: "a", findings: ["GRADE"] },
    ]);
  });

  it("when negative records, an objection, a notice of criticism or the watch list concern an owner, then they are that owner's findings", () => {
    const found = standingFindings(
      [
        file({
          records: [
            negative("2026-03-01", "PAYMENT", true),
            { polarity: "POSITIVE", category: "AWARD", occurredOn: day("2026-02-15"), disputed: false },
            negative("2025-12-01", "TAX"),
            negative("2025-11-01", "PAYMENT"),
          ],
          sanctions: [{ level: "NOTICE_OF_CRITICISM", decidedOn: day("2026-01-05"), reason: "r" }],
          lists: [{ list: "WATCH", enteredOn: day("2026-01-06"), reason: "r" }],
        }),
        file({
          ownerId: "assoc-3",
          records: [{ polarity: "POSITIVE", category: "AWARD", occurredOn: day("2026-01-01"), disputed: false }],
        }),
      ],
      null,
    );
    expect(found.public).toEqual([]);
    expect(codes(found.owners)).toEqual([
      { ownerId: "assoc-1", findings: ["NEGATIVE_RECORD!", "OPEN_OBJECTION", "ACTIVE_SANCTION!", "WATCH_LIST!"] },
      { ownerId: "assoc-3", findings: [] },
    ]);
    expect(found.owners[0]?.findings[0]).toMatchObject({
      value: 3,
      label: "PAYMENT, TAX",
      since: day("2026-03-01"),
      message: "有效的不良信用记录 3 条（最近一条 2026-03-01：PAYMENT, TAX）",
    });
  });
});
