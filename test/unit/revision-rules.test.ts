import { describe, expect, it } from "vitest";
import {
  answerable,
  answerDueAt,
  answerEffects,
  answeredLate,
  answerShapeProblem,
  isOverdue,
  objectable,
  statementTarget,
} from "../../subgraphs/associations/rules/objections.ts";
import {
  correction,
  correctionPatch,
  type RecordState,
  recordDatesProblem,
  retraction,
  revisable,
  revisionKind,
  revisionOf,
} from "../../subgraphs/associations/rules/revisions.ts";

/** Credit records, their corrections and retractions, and the enterprise's objections and statements. No hub, no database. */

const NOW = new Date("2026-06-01T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const USCC = "91310115MA1K000001";

const active: RecordState = {
  ownerId: "assoc-1",
  status: "ACTIVE",
  version: 2,
  occurredOn: day("2025-01-10"),
  endedOn: null,
};

describe("a record's dates", () => {
  it("when the behaviour began in the past and ended later, then the dates stand", () => {
    expect(recordDatesProblem({ occurredOn: day("2025-01-10"), endedOn: day("2025-03-01") }, NOW)).toBeNull();
    expect(recordDatesProblem({ occurredOn: day("2025-01-10"), endedOn: day("2025-01-10") }, NOW)).toBeNull();
  });

  it.each([
    [
      "it began in the future",
      { occurredOn: day("2026-07-01"), endedOn: null },
      "occurredOn (2026-07-01) is in the future.",
    ],
    [
      "it ends in the future",
      { occurredOn: day("2025-01-10"), endedOn: day("2026-07-01") },
      "endedOn (2026-07-01) is in the future.",
    ],
    [
      "it ended before it began",
      { occurredOn: day("2025-01-10"), endedOn: day("2025-01-09") },
      "endedOn is before occurredOn.",
    ],
    [
      "it is older than any enterprise",
      { occurredOn: day("1900-01-01"), endedOn: null },
      "occurredOn (1900-01-01) is before 1949-10-01; no enterprise fact is that old.",
    ],
  ])("when %s, then the dates are refused", (_name, dates, message) => {
    expect(recordDatesProblem(dates, NOW)).toEqual({ code: "BAD_USER_INPUT", message });
  });
});

describe("what a correction changes", () => {
  it("when fields are given, then only those change; an explicit null clears endedOn and evidenceRef", () => {
    expect(correctionPatch({ summary: "更正", endedOn: null, evidenceRef: null })).toEqual({
      ok: true,
      value: { summary: "更正", endedOn: null, evidenceRef: null },
    });
  });

  it("when a field is null that cannot be cleared, then it stays as it is", () => {
    const checked = correctionPatch({
      polarity: null,
      category: null,
      summary: null,
      source: null,
      occurredOn: null,
      endedOn: day("2025-02-01"),
    });
    expect(checked).toEqual({ ok: true, value: { endedOn: day("2025-02-01") } });
  });

  it("when nothing is given, then it asks for at least one field", () => {
    expect(correctionPatch({})).toEqual({
      ok: false,
      problem: { code: "BAD_USER_INPUT", message: "Give at least one field to correct." },
    });
  });
});

describe("correcting and retracting", () => {
  it("when an active record is corrected consistently, then the patch applies", () => {
    expect(correction({ category: "TAX" }, NOW)(active)).toEqual({ ok: true, value: { category: "TAX" } });
  });

  it("when the correction would end the behaviour before it began, then it is refused against the record's own date", () => {
    const checked = correction({ endedOn: day("2024-12-31") }, NOW)(active);
    expect(!checked.ok && checked.problem.message).toBe("endedOn is before occurredOn.");
  });

  it("when the correction moves the start past the record's end, then it is refused", () => {
    const ended = { ...active, endedOn: day("2025-02-01") };
    const checked = correction({ occurredOn: day("2025-03-01") }, NOW)(ended);
    expect(!checked.ok && checked.problem.message).toBe("endedOn is before occurredOn.");
  });

  it("when the record is retracted, then it cannot be corrected", () => {
    const checked = correction({ summary: "x" }, NOW)({ ...active, status: "RETRACTED" });
    expect(!checked.ok && checked.problem.message).toBe("A retracted record cannot be corrected.");
  });

  it("when an active record is retracted, then its status becomes RETRACTED; a second time, it is refused", () => {
    expect(retraction(active)).toEqual({ ok: true, value: { status: "RETRACTED" } });
    const again = retraction({ ...active, status: "RETRACTED" });
    expect(!again.ok && again.problem.message).toBe("This record is already retracted.");
  });
});

describe("who may revise a record", () => {
  const request = { id: "r-1", ownerId: "assoc-1", expectedVersion: null };

  it("when the owner revises its record at any version, then it may", () => {
    expect(revisable(active, request)).toEqual({ ok: true, value: active });
    expect(revisable(active, { ...request, expectedVersion: 2 }).ok).toBe(true);
  });

  it("when the record is not there, then it is not found", () => {
    const checked = revisable(null, request);
    expect(!checked.ok && checked.problem).toEqual({ code: "NOT_FOUND", message: 'No credit record "r-1".' });
  });

  it("when another association tries, then it is forbidden", () => {
    const checked = revisable(active, { ...request, ownerId: "assoc-2" });
    expect(!checked.ok && checked.problem.code).toBe("FORBIDDEN");
  });

  it("when someone changed the record since, then the stale version is refused", () => {
    const checked = revisable(active, { ...request, expectedVersion: 1 });
    expect(!checked.ok && checked.problem.message).toBe("The record is at version 2, not 1; reload it and try again.");
  });
});

describe("what a revision keeps", () => {
  it("when a record changes, then its fields before the change are kept as JSON, without id, owner or timestamps", () => {
    const record = {
      id: "r-1",
      ownerId: "assoc-1",
      createdAt: day("2025-01-11"),
      updatedAt: day("2025-02-01"),
      version: 2,
      summary: "逾期付款",
      occurredOn: day("2025-01-10"),
      endedOn: null,
    };
    expect(revisionOf(record, "更正金额", "assoc-1")).toEqual({
      recordId: "r-1",
      version: 2,
      previous: { summary: "逾期付款", occurredOn: "2025-01-10T00:00:00.000Z", endedOn: null },
      reason: "更正金额",
      changedBy: "assoc-1",
    });
  });

  it("when a revision lands, then the feed calls it RETRACTED or CORRECTED by the record's new status", () => {
    expect(revisionKind({ status: "RETRACTED" })).toBe("RETRACTED");
    expect(revisionKind({ status: "ACTIVE" })).toBe("CORRECTED");
  });
});

describe("objections", () => {
  const record = { uscc: USCC, status: "ACTIVE", disputed: false, polarity: "NEGATIVE" };

  it("when an objection is filed, then the answer is due 20 days later", () => {
    expect(answerDueAt(NOW).toISOString()).toBe("2026-06-21T12:00:00.000Z");
  });

  it("when an open objection passes its due time, then it is overdue; an answered one never is", () => {
    const dueAt = answerDueAt(NOW);
    expect(isOverdue({ status: "OPEN", dueAt }, dueAt)).toBe(false);
    expect(isOverdue({ status: "OPEN", dueAt }, new Date(dueAt.getTime() + 1))).toBe(true);
    expect(isOverdue({ status: "UPHELD", dueAt }, new Date(dueAt.getTime() + 1))).toBe(false);
    expect(answeredLate({ dueAt }, new Date(dueAt.getTime() + 1))).toBe(true);
    expect(answeredLate({ dueAt }, dueAt)).toBe(false);
  });

  it("when the enterprise objects to an active record about it, then it may", () => {
    expect(objectable(record, USCC, "r-1")).toEqual({ ok: true, value: record });
  });

  it.each([
    ["not there", null, USCC, "NOT_FOUND"],
    ["about another enterprise", record, "91110000100000000X", "NOT_FOUND"],
    ["retracted", { ...record, status: "RETRACTED" }, USCC, "BAD_USER_INPUT"],
    ["already disputed", { ...record, disputed: true }, USCC, "BAD_USER_INPUT"],
  ])("when the record is %s, then the objection is refused", (_name, target, uscc, code) => {
    const checked = objectable(target, uscc, "r-1");
    expect(!checked.ok && checked.problem.code).toBe(code);
  });

  it("when an answer is CORRECTED, then it comes with changes, and only then", () => {
    expect(answerShapeProblem("CORRECTED", true)).toBeNull();
    expect(answerShapeProblem("UPHELD", false)).toBeNull();
    expect(answerShapeProblem("CORRECTED", false)?.message).toBe(
      "Give changes with CORRECTED, and only with CORRECTED.",
    );
    expect(answerShapeProblem("REMOVED", true)).not.toBeNull();
  });

  it("when an objection is answered, then CORRECTED corrects, REMOVED retracts, UPHELD leaves the record", () => {
    expect(answerEffects("CORRECTED")).toEqual({ corrects: true, retracts: false });
    expect(answerEffects("REMOVED")).toEqual({ corrects: false, retracts: true });
    expect(answerEffects("UPHELD")).toEqual({ corrects: false, retracts: false });
  });

  it("when the owner answers its open objection, then it may; another owner or a second answer may not", () => {
    const open = { ownerId: "assoc-1", status: "OPEN" as const };
    expect(answerable(open, "assoc-1", "o-1").ok).toBe(true);
    const other = answerable(open, "assoc-2", "o-1");
    expect(!other.ok && other.problem).toEqual({ code: "NOT_FOUND", message: 'No objection "o-1" to your records.' });
    const twice = answerable({ ...open, status: "UPHELD" as const }, "assoc-1", "o-1");
    expect(!twice.ok && twice.problem.message).toBe("This objection was already answered (UPHELD).");
  });

  it("when the enterprise attaches a statement, then only to a negative record about it", () => {
    expect(statementTarget(record, USCC, "r-1").ok).toBe(true);
    const positive = statementTarget({ ...record, polarity: "POSITIVE" }, USCC, "r-1");
    expect(!positive.ok && positive.problem.message).toBe("Statements are attached to negative records.");
    const notAbout = statementTarget(record, "91110000100000000X", "r-1");
    expect(!notAbout.ok && notAbout.problem.code).toBe("NOT_FOUND");
  });
});
