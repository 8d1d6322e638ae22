import { describe, expect, it } from "vitest";
import {
  pastRetention,
  RETENTION_YEARS,
  retentionCutoff,
  sharedChange,
  shownDespiteRetention,
} from "../../subgraphs/associations/rules/retention.ts";
import { negativeInForce } from "../../subgraphs/sdk/retention.ts";

/** Five-year retention of negative records, as plain functions: no hub, no database. */

const NOW = new Date("2026-06-01T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const negative = (endedOn: Date | null) => ({ ownerId: "assoc-1", polarity: "NEGATIVE", endedOn });

describe("retention", () => {
  it("when retention is counted, then it is five years back from now", () => {
    expect(RETENTION_YEARS).toBe(5);
    expect(retentionCutoff(NOW).toISOString()).toBe("2021-06-01T12:00:00.000Z");
  });

  it.each([
    ["still going on", null, false],
    ["ended four years ago", day("2022-06-01"), false],
    ["ended five years ago less a moment", new Date("2021-06-01T12:00:00.001Z"), false],
    ["ended exactly five years ago", new Date("2021-06-01T12:00:00Z"), true],
    ["ended six years ago", day("2020-06-01"), true],
  ])("when a negative record's behaviour is %s, then past retention is %s", (_name, endedOn, past) => {
    expect(pastRetention(negative(endedOn), NOW)).toBe(past);
    expect(negativeInForce({ endedOn }, NOW)).toBe(!past);
  });

  it("when a positive record's behaviour ended long ago, then it is never past retention", () => {
    expect(pastRetention({ polarity: "POSITIVE", endedOn: day("2000-01-01") }, NOW)).toBe(false);
  });

  it("when a record is past retention, then only its owner is still shown it (until it is purged)", () => {
    const old = negative(day("2020-01-01"));
    expect(shownDespiteRetention(old, "assoc-1", NOW)).toBe(true);
    expect(shownDespiteRetention(old, "bureau-1", NOW)).toBe(false);
    expect(shownDespiteRetention(old, null, NOW)).toBe(false);
    expect(shownDespiteRetention(negative(null), "bureau-1", NOW)).toBe(true);
  });
});

describe("what a bureau may keep of a change", () => {
  const change = {
    seq: 42n,
    kind: "CORRECTED",
    at: new Date("2026-05-01T08:00:00Z"),
    ownerId: "assoc-1",
    uscc: "91310115MA1K000001",
    recordId: "r-1",
  };
  const record = {
    polarity: "NEGATIVE",
    category: "PAYMENT",
    occurredOn: day("2024-01-10"),
    endedOn: day("2024-03-01"),
    status: "ACTIVE",
    disputed: true,
    statement: "已结清",
    summary: "CONSENT data a bureau does not get here",
  };

  it("when the record is still shared, then the change carries its SHARED fields only", () => {
    expect(sharedChange(change, record, NOW)).toEqual({
      seq: "42",
      kind: "CORRECTED",
      at: "2026-05-01T08:00:00.000Z",
      owner: "assoc-1",
      uscc: "91310115MA1K000001",
      recordId: "r-1",
      record: {
        polarity: "NEGATIVE",
        category: "PAYMENT",
        occurredOn: "2024-01-10",
        endedOn: "2024-03-01",
        status: "ACTIVE",
        disputed: true,
        statement: "已结清",
      },
    });
  });

  it("when the record is past retention or purged, then the change carries no record", () => {
    expect(sharedChange(change, { ...record, endedOn: day("2020-01-01") }, NOW).record).toBeNull();
    expect(sharedChange(change, null, NOW).record).toBeNull();
  });
});
