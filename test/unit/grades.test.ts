import { describe, expect, it } from "vitest";
import {
  certificateNumber,
  DEFAULT_GRADE_FLOORS,
  GRADE_CODES,
  GRADES,
  gradeFloorsProblem,
  gradeFor,
  stillValid,
  tierOf,
  validUntil,
} from "../../subgraphs/associations/rules/grades.ts";
import { isSerious } from "../../subgraphs/associations/rules/sanctions.ts";

/** The seed policy's grades, certificate numbers and validity, as pure functions. */

describe("grades", () => {
  it("when the grades are listed, then they are three tiers of three with the policy's codes", () => {
    expect(GRADE_CODES).toEqual({
      AAA: "111",
      AA: "011",
      A: "001",
      BBB: "222",
      BB: "022",
      B: "002",
      CCC: "333",
      CC: "033",
      C: "003",
    });
    expect(GRADES.map(tierOf)).toEqual(["A", "A", "A", "B", "B", "B", "C", "C", "C"]);
  });

  it("when a total sits on each grade's floor, then it gets that grade; a hundredth below, the next grade down", () => {
    for (const [i, grade] of GRADES.entries()) {
      const floor = DEFAULT_GRADE_FLOORS[grade];
      expect(gradeFor(floor), `${grade} at ${floor}`).toBe(grade);
      if (grade !== "C") expect(gradeFor(floor - 0.01), `${grade} just below ${floor}`).toBe(GRADES[i + 1]);
    }
    expect(gradeFor(100)).toBe("AAA");
    expect(gradeFor(0)).toBe("C");
  });

  it("when a methodology sets its own floors, then those decide", () => {
    const strict = { AAA: 95, AA: 88, A: 80, BBB: 72, BB: 64, B: 56, CCC: 40, CC: 25, C: 0 };
    expect(gradeFloorsProblem(strict)).toBeNull();
    expect(gradeFor(94.99, strict)).toBe("AA");
    expect(gradeFor(95, strict)).toBe("AAA");
    expect(gradeFor(24.99, strict)).toBe("C");
  });

  it("when floors are incomplete, out of order or leave scores without a grade, then it says which", () => {
    expect(gradeFloorsProblem({ ...DEFAULT_GRADE_FLOORS, BB: undefined })).toMatch(/missing BB/);
    expect(gradeFloorsProblem({ ...DEFAULT_GRADE_FLOORS, AA: 95 })).toMatch(/AAA \(90\) is not above AA \(95\)/);
    expect(gradeFloorsProblem({ ...DEFAULT_GRADE_FLOORS, C: 5 })).toMatch(/C must be 0/);
    expect(gradeFloorsProblem({ ...DEFAULT_GRADE_FLOORS, D: 1 })).toMatch(/do not exist: D/);
  });
});

describe("certificate numbers", () => {
  it("when a certificate is numbered, then it is year, association code, grade code and a five-digit serial", () => {
    expect(certificateNumber(2026, "007", "AA", 42)).toBe("202600701100042");
    expect(certificateNumber(2026, "120", "C", 99_999)).toBe("202612000399999");
    expect(certificateNumber(2025, "001", "BBB", 1)).toHaveLength(15);
  });

  it("when a part does not fit its digits, then it refuses rather than write a wrong number", () => {
    expect(() => certificateNumber(2026, "07", "A", 1)).toThrow(/three digits/);
    expect(() => certificateNumber(2026, "007", "A", 100_000)).toThrow(/serial/);
    expect(() => certificateNumber(20260, "007", "A", 1)).toThrow(/four digits/);
  });
});

describe("validity", () => {
  it("when issued, then it is valid to the day before the third anniversary, and not a day longer", () => {
    const last = validUntil(new Date("2026-03-15T00:00:00Z"));
    expect(last.toISOString().slice(0, 10)).toBe("2029-03-14");
    expect(stillValid(last, new Date("2029-03-14T23:59:59Z"))).toBe(true);
    expect(stillValid(last, new Date("2029-03-15T00:00:00Z"))).toBe(false);
  });

  it("when issued on 29 February, then it runs to 28 February three years on", () => {
    expect(validUntil(new Date("2024-02-29T00:00:00Z")).toISOString().slice(0, 10)).toBe("2027-02-28");
  });

  it("when sanctions are ranked, then public condemnation and above are serious", () => {
    expect(["WARNING", "NOTICE_OF_CRITICISM"].map((l) => isSerious(l as never))).toEqual([false, false]);
    expect(
      ["PUBLIC_CONDEMNATION", "MEMBERSHIP_REVOKED", "REPORTED_TO_AUTHORITIES"].map((l) => isSerious(l as never)),
    ).toEqual([true, true, true]);
  });
});
