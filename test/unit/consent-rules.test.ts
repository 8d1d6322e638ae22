import { describe, expect, it } from "vitest";
import {
  approvedUntil,
  bestConsents,
  consentRequestState,
  monthsAfter,
} from "../../subgraphs/registry/rules/consents.ts";

const NOW = new Date("2026-06-01T09:00:00Z");
const DAY = 86_400_000;
const A = "91310115MA1K4ABC2X";
const B = "91310115MA1K4ABD0X";
const consent = (uscc: string, id: string, ownerIds: string[], daysAgo: number) => ({
  uscc,
  id,
  ownerIds,
  grantedAt: new Date(NOW.getTime() - daysAgo * DAY),
});

describe("which consents a hub token carries", () => {
  it("when an enterprise gave one for every owner, then that one alone, the newest of them", () => {
    const given = [consent(A, "old-all", [], 9), consent(A, "scoped", ["o1"], 1), consent(A, "new-all", [], 3)];
    expect(bestConsents(given)).toEqual([{ uscc: A, consentId: "new-all", owners: [] }]);
  });

  it("when each covers some owners, then the newest five per enterprise, each with its owners", () => {
    const given = [...Array(7)].map((_, i) => consent(A, `c${i}`, [`o${i}`], i)).concat(consent(B, "b", ["o9"], 0));
    const carried = bestConsents(given);
    expect(carried.filter((c) => c.uscc === A).map((c) => c.consentId)).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    expect(carried.find((c) => c.uscc === B)).toEqual({ uscc: B, consentId: "b", owners: ["o9"] });
  });
});

describe("where a consent request stands", () => {
  const pending = { answer: null, answerBy: new Date(NOW.getTime() + DAY) };
  it.each([
    ["unanswered in time", pending, null, NOW, "PENDING"],
    ["unanswered past answerBy", pending, null, new Date(NOW.getTime() + 2 * DAY), "EXPIRED"],
    ["rejected", { ...pending, answer: "REJECTED" }, null, NOW, "REJECTED"],
    [
      "approved, consent holding",
      { ...pending, answer: "APPROVED" },
      { expiresAt: new Date(NOW.getTime() + DAY), revokedAt: null },
      NOW,
      "APPROVED",
    ],
    [
      "approved, consent run out",
      { ...pending, answer: "APPROVED" },
      { expiresAt: NOW, revokedAt: null },
      NOW,
      "EXPIRED",
    ],
    [
      "approved, consent withdrawn",
      { ...pending, answer: "APPROVED" },
      { expiresAt: new Date(NOW.getTime() + DAY), revokedAt: NOW },
      NOW,
      "REVOKED",
    ],
  ] as const)("when %s, then %s", (_what, request, given, at, state) => {
    expect(consentRequestState(request, given, at)).toBe(state);
  });
});

describe("how long an approval gives consent", () => {
  const max = monthsAfter(NOW, 12);
  it("when the enterprise shortens it, then it lasts that long from now; when it says nothing, as asked", () => {
    expect(approvedUntil({ days: 90 }, { days: 30 }, NOW, max)).toEqual({ until: new Date(NOW.getTime() + 30 * DAY) });
    expect(approvedUntil({ days: 90 }, {}, NOW, max)).toEqual({ until: new Date(NOW.getTime() + 90 * DAY) });
  });

  it("when it would lengthen it, go below a day, or pass the hub's maximum, then it is refused in both languages", () => {
    expect(approvedUntil({ days: 90 }, { days: 91 }, NOW, max)).toMatchObject({
      problem: expect.stringMatching(/不能长于.*at most the 90 days/),
    });
    expect(approvedUntil({ days: 90 }, { days: 0 }, NOW, max)).toMatchObject({
      problem: expect.stringMatching(/at least one day/),
    });
    expect(approvedUntil({ days: 400 }, {}, NOW, max)).toMatchObject({
      problem: expect.stringMatching(/at the latest/),
    });
  });

  it("when months are counted, then by the calendar, a short month's last day for a day past it", () => {
    expect(monthsAfter(new Date("2026-01-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(monthsAfter(new Date("2026-06-01T09:00:00Z"), 12).toISOString()).toBe("2027-06-01T09:00:00.000Z");
  });
});
