import { describe, expect, it } from "vitest";
import { eligibility, parseCriteria, unmetCriteria } from "../../subgraphs/registry/rules/programmes.ts";

/** A bank's programme criteria over the findings the owners release: parsing and weighing, as plain rules. */

const now = new Date("2026-12-01T00:00:00Z");
const f = (code: string, rest: { adverse?: boolean; value?: number; label?: string; since?: string } = {}) => ({
  code,
  adverse: false,
  ...rest,
});
const codes = (unmet: { code: string }[]) => unmet.map((u) => u.code);

describe("programme criteria", () => {
  it("when criteria fit their kinds, then they parse with absent values dropped", () => {
    expect(
      parseCriteria([
        { kind: "GRADE_AT_LEAST", grade: "AA", level: null },
        { kind: "ON_TIME_RATIO_AT_LEAST", ratio: 0.9 },
      ]),
    ).toEqual({
      criteria: [
        { kind: "GRADE_AT_LEAST", grade: "AA" },
        { kind: "ON_TIME_RATIO_AT_LEAST", ratio: 0.9 },
      ],
    });
  });

  it("when a value is missing, foreign to the kind or out of range, or there are none, then the problem names its place", () => {
    const problem = (input: Record<string, unknown>[]) => {
      const parsed = parseCriteria(input);
      return "problem" in parsed ? parsed.problem : null;
    };
    expect(problem([{ kind: "GRADE_AT_LEAST" }])).toMatch(/^criteria\[0\]\.grade/);
    expect(problem([{ kind: "ON_RED_LIST", grade: "A" }])).toMatch(/criteria\[0\]/);
    expect(problem([{ kind: "ON_TIME_RATIO_AT_LEAST", ratio: 1.5 }])).toMatch(/criteria\[0\]\.ratio/);
    expect(problem([{ kind: "NO_SANCTION_AT_LEAST", level: "WARNING", withinYears: 2 }])).toMatch(
      /criteria\[0\]\.level/,
    );
    expect(problem([])).toMatch(/criteria/);
  });

  it("when the grade is at or above the floor, then it is met; below or missing, then it says which", () => {
    const c = [{ kind: "GRADE_AT_LEAST" as const, grade: "A" as const }];
    expect(unmetCriteria(c, [f("GRADE", { label: "AA" })], now)).toEqual([]);
    expect(unmetCriteria(c, [f("GRADE", { label: "A" })], now)).toEqual([]);
    expect(unmetCriteria(c, [f("GRADE", { label: "BBB" })], now)[0]).toMatchObject({
      code: "GRADE_BELOW",
      messageEn: "Credit grade BBB is below A.",
    });
    expect(codes(unmetCriteria(c, [], now))).toEqual(["NO_GRADE"]);
  });

  it("when a sanction at or above the level was decided within the years, then it is unmet; older or lower, then met", () => {
    const c = [{ kind: "NO_SANCTION_AT_LEAST" as const, level: "PUBLIC_CONDEMNATION" as const, withinYears: 2 }];
    const sanction = (label: string, since: string) => f("ACTIVE_SANCTION", { adverse: true, label, since });
    expect(codes(unmetCriteria(c, [sanction("MEMBERSHIP_REVOKED", "2025-06-01")], now))).toEqual(["SANCTIONED"]);
    expect(unmetCriteria(c, [sanction("MEMBERSHIP_REVOKED", "2024-06-01")], now)).toEqual([]);
    expect(unmetCriteria(c, [sanction("NOTICE_OF_CRITICISM", "2026-06-01")], now)).toEqual([]);
  });

  it("when the lowest on-time ratio of every body is at least the floor, then it is met; below, or no record, then not", () => {
    const c = [{ kind: "ON_TIME_RATIO_AT_LEAST" as const, ratio: 0.9 }];
    expect(unmetCriteria(c, [f("ON_TIME_PAYMENTS", { value: 0.95 })], now)).toEqual([]);
    expect(
      codes(unmetCriteria(c, [f("ON_TIME_PAYMENTS", { value: 0.95 }), f("LATE_PAYMENTS", { value: 0.7 })], now)),
    ).toEqual(["LATE_PAYMENTS"]);
    expect(codes(unmetCriteria(c, [], now))).toEqual(["NO_PAYMENT_RECORD"]);
  });

  it("when there is a trade dispute or an unanswered objection, then no-open-dispute is unmet; the red list and nothing-adverse read their findings", () => {
    expect(codes(unmetCriteria([{ kind: "NO_OPEN_DISPUTE" }], [f("OPEN_OBJECTION", { value: 2 })], now))).toEqual([
      "OPEN_DISPUTE",
    ]);
    expect(unmetCriteria([{ kind: "ON_RED_LIST" }], [f("RED_LIST")], now)).toEqual([]);
    expect(codes(unmetCriteria([{ kind: "NOTHING_ADVERSE" }], [f("WATCH_LIST", { adverse: true })], now))).toEqual([
      "ADVERSE_FACTS",
    ]);
  });

  it("when a part is withheld, then a visible failure still decides 'not eligible', but a missing fact leaves it undecided", () => {
    const criteria = [{ kind: "ON_RED_LIST" as const }, { kind: "NOTHING_ADVERSE" as const }];
    expect(eligibility(criteria, [f("RED_LIST")], [], now)).toEqual({ eligible: true, unmet: [] });
    const undecided = eligibility(criteria, [], ["bureaus' records"], now);
    expect(undecided.eligible).toBeNull();
    expect(codes(undecided.unmet)).toEqual(["NOT_WEIGHED"]);
    const failed = eligibility(criteria, [f("BLACK_LIST", { adverse: true })], ["bureaus' records"], now);
    expect(failed).toMatchObject({ eligible: false });
    expect(codes(failed.unmet)).toEqual(["ADVERSE_FACTS"]);
  });
});
