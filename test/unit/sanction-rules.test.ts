import { describe, expect, it } from "vitest";
import {
  endingProblem,
  imposition,
  isSerious,
  jointPunishmentRecord,
  LEVEL_NAMES,
  retractionReasonFor,
  revokedMembership,
  SANCTION_LEVELS,
  type SanctionFacts,
  type SanctionLevel,
  sanctionClass,
  sanctionEffects,
  voidReasonFor,
} from "../../subgraphs/associations/rules/sanctions.ts";

/** Self-discipline sanctions and joint punishment, as plain functions: no hub, no database. */

const USCC = "91310115MA1K000001";
const decidedOn = new Date("2026-04-10T00:00:00Z");
const sanction = (level: SanctionLevel, clause: string | null = "第十二条"): SanctionFacts => ({
  id: "s-1",
  ownerId: "assoc-1",
  uscc: USCC,
  level,
  reason: "虚假宣传",
  clause,
  decidedOn,
});

/** The policy's table: who sees each level and what it sets off. */
const LEVELS: Record<
  SanctionLevel,
  { seenBy: string; sharedOnward: boolean; voidsEvaluation: boolean; endsMembership: boolean }
> = {
  WARNING: { seenBy: "MEMBER", sharedOnward: false, voidsEvaluation: false, endsMembership: false },
  NOTICE_OF_CRITICISM: { seenBy: "SHARED", sharedOnward: false, voidsEvaluation: false, endsMembership: false },
  PUBLIC_CONDEMNATION: { seenBy: "PUBLIC", sharedOnward: true, voidsEvaluation: true, endsMembership: false },
  MEMBERSHIP_REVOKED: { seenBy: "PUBLIC", sharedOnward: true, voidsEvaluation: true, endsMembership: true },
  REPORTED_TO_AUTHORITIES: { seenBy: "PUBLIC", sharedOnward: true, voidsEvaluation: true, endsMembership: false },
};

describe("sanction levels", () => {
  it("when the levels are listed, then they rise from warning to reported to authorities", () => {
    expect(SANCTION_LEVELS).toEqual(Object.keys(LEVELS));
  });

  it.each(SANCTION_LEVELS)("when a sanction is %s, then it is seen and acts as the policy says", (level) => {
    const { seenBy, ...effects } = LEVELS[level];
    expect(sanctionClass({ level })).toBe(seenBy);
    expect(sanctionEffects(level)).toEqual(effects);
    expect(isSerious(level)).toBe(effects.sharedOnward);
    expect(LEVEL_NAMES[level]).toMatch(/\S/);
  });
});

describe("joint punishment", () => {
  it("when a serious sanction is shared onward, then it becomes a negative self-discipline record citing the convention", () => {
    const record = jointPunishmentRecord(sanction("PUBLIC_CONDEMNATION"), { title: "行业自律公约", version: 2 });
    expect(record).toEqual({
      ownerId: "assoc-1",
      uscc: USCC,
      polarity: "NEGATIVE",
      category: "SELF_DISCIPLINE",
      summary: "公开谴责：虚假宣传",
      source: "自律惩戒决定（行业自律公约 第 2 版，第十二条）",
      occurredOn: decidedOn,
      evidenceRef: "sanction:s-1",
    });
  });

  it("when the sanction names no clause, then the source names only the convention", () => {
    const record = jointPunishmentRecord(sanction("MEMBERSHIP_REVOKED", null), { title: "公约", version: 1 });
    expect(record.source).toBe("自律惩戒决定（公约 第 1 版）");
  });

  it("when a serious sanction voids an evaluation, then the reason names the level and the day", () => {
    expect(voidReasonFor(sanction("REPORTED_TO_AUTHORITIES"))).toBe(
      "Voided by a sanction (REPORTED_TO_AUTHORITIES) decided on 2026-04-10.",
    );
  });

  it("when membership is revoked, then the membership ends on the decision day with the reason", () => {
    expect(revokedMembership(decidedOn, "严重违约")).toEqual({
      status: "ENDED",
      leftOn: decidedOn,
      endReason: "Membership revoked: 严重违约",
    });
  });
});

describe("imposing a sanction", () => {
  const convention = { ownerId: "assoc-1", id: "c-1" };
  const base = {
    ownerId: "assoc-1",
    uscc: USCC,
    conventionId: null,
    convention,
    membership: { status: "ACTIVE" as const },
  };

  it("when the member and convention are the association's own, then it may be imposed", () => {
    expect(imposition(base)).toEqual({ ok: true, value: { convention, membership: { status: "ACTIVE" } } });
  });

  it("when the member is suspended, then it may still be sanctioned", () => {
    expect(imposition({ ...base, membership: { status: "SUSPENDED" as const } }).ok).toBe(true);
  });

  it("when no convention is published, then it asks to publish one first", () => {
    const checked = imposition({ ...base, convention: null });
    expect(checked).toEqual({
      ok: false,
      problem: { code: "BAD_USER_INPUT", message: "Publish your self-discipline convention first." },
    });
  });

  it("when the convention asked for is not there, then it names it", () => {
    const checked = imposition({ ...base, conventionId: "c-9", convention: null });
    expect(!checked.ok && checked.problem.message).toBe("No convention c-9.");
  });

  it("when the convention is another association's, then it is forbidden", () => {
    const checked = imposition({ ...base, convention: { ownerId: "assoc-2", id: "c-2" } });
    expect(!checked.ok && checked.problem.code).toBe("FORBIDDEN");
  });

  it.each([
    ["never a member", null],
    ["a former member", { status: "ENDED" as const }],
  ])("when the enterprise is %s, then only members are held to the convention", (_name, membership) => {
    const checked = imposition({ ...base, membership });
    expect(!checked.ok && checked.problem).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/not a member of your association/),
    });
  });
});

describe("ending a sanction", () => {
  const active = { ownerId: "assoc-1", status: "ACTIVE" as const, decidedOn };

  it("when the imposing association ends an active sanction on or after its day, then it may", () => {
    expect(endingProblem(active, "assoc-1", decidedOn)).toBeNull();
    expect(endingProblem(active, "assoc-1", new Date("2027-01-01T00:00:00Z"))).toBeNull();
  });

  it("when another association tries, then it is forbidden", () => {
    expect(endingProblem(active, "assoc-2", decidedOn)?.code).toBe("FORBIDDEN");
  });

  it.each(["WITHDRAWN", "REPAIRED"] as const)("when it already ended (%s), then it cannot end again", (status) => {
    expect(endingProblem({ ...active, status }, "assoc-1", decidedOn)?.message).toBe(
      `This sanction already ended (${status}).`,
    );
  });

  it("when the end is before the decision, then it says both days", () => {
    expect(endingProblem(active, "assoc-1", new Date("2026-04-09T00:00:00Z"))?.message).toBe(
      "endedOn (2026-04-09) is before the sanction was decided (2026-04-10).",
    );
  });

  it("when a shared sanction ends, then the retraction of its record says how", () => {
    expect(retractionReasonFor("REPAIRED", "整改完成")).toBe("Sanction lifted after credit repair: 整改完成");
    expect(retractionReasonFor("WITHDRAWN", "认定错误")).toBe("Sanction withdrawn: 认定错误");
  });
});
