import { describe, expect, it } from "vitest";
import {
  alreadyEvaluatedProblem,
  certificateNumberQuery,
  certificateOf,
  evaluationPrerequisitesProblem,
  evaluatorCodeProblem,
  indicatorsProblem,
  MAX_INDICATORS,
  type MethodologyTerms,
  methodologyFloors,
  methodologyUseProblem,
  nextVersion,
  scoreEvaluation,
  voidingProblem,
} from "../../subgraphs/associations/rules/evaluation.ts";
import { DEFAULT_GRADE_FLOORS, evaluationStatus, validityCutoff } from "../../subgraphs/associations/rules/grades.ts";

/** Credit evaluation: methodologies, scoring, who evaluates whom, certificates and voiding. No hub, no database. */

const USCC = "91310115MA1K000001";

describe("methodology indicators", () => {
  const ind = (code: string, weight: number) => ({ code, weight });

  it("when the weights add up to 1, then the indicators stand", () => {
    expect(indicatorsProblem([ind("A", 0.5), ind("B", 0.3), ind("C", 0.2)])).toBeNull();
    expect(indicatorsProblem([ind("A", 0.1), ind("B", 0.2), ind("C", 0.7)])).toBeNull();
  });

  it.each([
    ["there are none", [], /at least one indicator/],
    ["a code repeats", [ind("A", 0.5), ind("A", 0.5)], /repeated: A/],
    ["a weight is 0", [ind("A", 0), ind("B", 1)], /above 0 and at most 1.*"A"/],
    ["a weight is above 1", [ind("A", 1.5)], /above 0 and at most 1/],
    ["the weights add up to less than 1", [ind("A", 0.5), ind("B", 0.4)], /add up to 0.9/],
  ])("when %s, then it says what is wrong", (_name, indicators, message) => {
    const problem = indicatorsProblem(indicators);
    expect(problem?.code).toBe("BAD_USER_INPUT");
    expect(problem?.message).toMatch(message);
  });

  it("when there are more indicators than anyone weighs by hand, then it refuses", () => {
    const many = Array.from({ length: MAX_INDICATORS + 1 }, (_, i) => ind(`I${i}`, 1 / (MAX_INDICATORS + 1)));
    expect(indicatorsProblem(many)?.message).toMatch(`at most ${MAX_INDICATORS}`);
  });
});

describe("methodology floors", () => {
  it("when none are given, then the default floors apply", () => {
    expect(methodologyFloors(null)).toEqual({ ok: true, value: DEFAULT_GRADE_FLOORS });
  });

  it("when floors are given out of order, then the problem is bad input", () => {
    const given = Object.entries({ ...DEFAULT_GRADE_FLOORS, AA: 95 }).map(([grade, lowestScore]) => ({
      grade: grade as keyof typeof DEFAULT_GRADE_FLOORS,
      lowestScore,
    }));
    const checked = methodologyFloors(given);
    expect(!checked.ok && checked.problem.message).toMatch(/AAA \(90\) is not above AA \(95\)/);
  });
});

describe("scoring", () => {
  const methodology: MethodologyTerms = {
    version: 3,
    indicators: [
      { code: "FIN", name: "财务", weight: 0.6, description: null },
      { code: "CMP", name: "合规", weight: 0.4, description: null },
    ],
    floors: DEFAULT_GRADE_FLOORS,
  };

  it("when every indicator is scored, then the total is weighted, to the hundredth, and graded", () => {
    const checked = scoreEvaluation(methodology, [
      { indicator: "CMP", score: 77.77 },
      { indicator: "FIN", score: 91.11 },
    ]);
    expect(checked).toEqual({
      ok: true,
      value: {
        scores: [
          { indicator: "FIN", score: 91.11 },
          { indicator: "CMP", score: 77.77 },
        ],
        total: 85.77,
        grade: "AA",
      },
    });
  });

  it.each([
    [
      "an indicator is scored twice",
      [
        { indicator: "FIN", score: 1 },
        { indicator: "FIN", score: 2 },
      ],
      /scored twice/,
    ],
    ["a score is above 100", [{ indicator: "FIN", score: 101 }], /must be 0–100; got 101/],
    ["a score is negative", [{ indicator: "FIN", score: -1 }], /must be 0–100/],
    ["an indicator is unknown", [{ indicator: "XYZ", score: 50 }], /Methodology v3 has no indicator "XYZ"/],
    ["an indicator is missing", [{ indicator: "FIN", score: 50 }], /missing CMP/],
  ])("when %s, then the scores are refused", (_name, scores, message) => {
    const checked = scoreEvaluation(methodology, scores);
    expect(!checked.ok && checked.problem.message).toMatch(message);
  });
});

describe("who evaluates whom", () => {
  it("when the methodology is another association's, then it is forbidden", () => {
    expect(methodologyUseProblem({ ownerId: "a-1" }, "a-1")).toBeNull();
    expect(methodologyUseProblem({ ownerId: "a-2" }, "a-1")?.code).toBe("FORBIDDEN");
  });

  it.each([
    ["not a member", null],
    ["a suspended member", { status: "SUSPENDED" }],
    ["a former member", { status: "ENDED" }],
  ])("when the enterprise is %s, then it cannot be evaluated", (_name, membership) => {
    expect(evaluationPrerequisitesProblem(USCC, membership, "007")?.message).toBe(
      `${USCC} is not an active member of your association.`,
    );
  });

  it("when the association has no evaluator code, then it is sent to the hub's operator", () => {
    expect(evaluationPrerequisitesProblem(USCC, { status: "ACTIVE" }, null)?.message).toMatch(/no evaluator code/);
    expect(evaluationPrerequisitesProblem(USCC, { status: "ACTIVE" }, "007")).toBeNull();
  });

  it("when the enterprise already holds a valid evaluation, then the refusal names it", () => {
    const problem = alreadyEvaluatedProblem({
      uscc: USCC,
      certificateNumber: "202600711100001",
      grade: "AAA",
      ownerId: "a-2",
      validUntil: new Date("2029-01-01T00:00:00Z"),
    });
    expect(problem.message).toMatch(/certificate 202600711100001 \(grade AAA\) issued by association a-2/);
    expect(problem.message).toMatch(/valid until 2029-01-01/);
    expect(problem.extensions).toEqual({ existingCertificate: "202600711100001", existingAssociation: "a-2" });
  });
});

describe("certificates", () => {
  it("when an evaluation is issued, then its number carries the issue year and it lasts three years", () => {
    const issuedOn = new Date("2026-03-15T00:00:00Z");
    const cert = certificateOf(issuedOn, "007", "BBB", 12);
    expect(cert.certificateNumber).toBe("202600722200012");
    expect(cert.issuedOn).toBe(issuedOn);
    expect(cert.validUntil.toISOString().slice(0, 10)).toBe("2029-03-14");
  });

  it("when a certificate number is looked up, then spaces are ignored and anything but 15 digits refused", () => {
    expect(certificateNumberQuery(" 202600722200012 ")).toEqual({ ok: true, value: "202600722200012" });
    const checked = certificateNumberQuery("2026-007");
    expect(!checked.ok && checked.problem.message).toMatch(/15 digits/);
  });

  it("when an evaluator code is given, then it is three digits and given once", () => {
    expect(evaluatorCodeProblem("007")).toBeNull();
    expect(evaluatorCodeProblem("7")?.message).toMatch(/three digits/);
    expect(evaluatorCodeProblem("007", { code: "005" })?.message).toMatch(/already has evaluator code 005/);
  });
});

describe("status and voiding", () => {
  const lastDay = new Date("2029-03-14T00:00:00Z");

  it("when a valid evaluation's last day has passed, then it reads as EXPIRED even before a write marks it", () => {
    expect(evaluationStatus({ status: "VALID", validUntil: lastDay }, new Date("2029-03-14T23:00:00Z"))).toBe("VALID");
    expect(evaluationStatus({ status: "VALID", validUntil: lastDay }, new Date("2029-03-15T00:00:00Z"))).toBe(
      "EXPIRED",
    );
    expect(evaluationStatus({ status: "VOIDED", validUntil: lastDay }, new Date("2026-01-01T00:00:00Z"))).toBe(
      "VOIDED",
    );
  });

  it("when expired evaluations are marked, then the cutoff is the start of today (UTC)", () => {
    expect(validityCutoff(new Date("2029-03-15T13:45:00Z")).toISOString()).toBe("2029-03-15T00:00:00.000Z");
  });

  it("when the issuer voids a valid evaluation, then it may; anyone else, or twice, may not", () => {
    expect(voidingProblem({ ownerId: "a-1", status: "VALID" }, "a-1")).toBeNull();
    expect(voidingProblem({ ownerId: "a-1", status: "VALID" }, "a-2")?.code).toBe("FORBIDDEN");
    expect(voidingProblem({ ownerId: "a-1", status: "VOIDED" }, "a-1")?.message).toBe(
      "This evaluation is already void.",
    );
  });

  it("when a text is published again, then its version is the next one, from 1", () => {
    expect(nextVersion(null)).toBe(1);
    expect(nextVersion({ version: 4 })).toBe(5);
  });
});
