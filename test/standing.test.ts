import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ENTERPRISES, type DemoCredential, seedDemo } from "../hub/seed.ts";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";

/** The bank's standing check, on the demo data: one answer drawn from every owner, under each owner's permissions. */

let t: TestHub;
let demo: Record<string, DemoCredential>;
beforeAll(async () => {
  t = await sharedTestHub();
  demo = await seedDemo(t.url, t.operatorKey);
}, 120_000);

const credential = (type: string, nth = 0) => Object.values(demo).filter((c) => c.type === type)[nth] as DemoCredential;
const usccOf = (i: number) => (DEMO_ENTERPRISES[i] as { uscc: string }).uscc;
const bank = () => ({ apiKey: credential("FINANCIAL").apiKey, purpose: "LOAN_APPROVAL" });

const STANDING = /* GraphQL */ `
  query ($u: USCC!, $p: Purpose!) {
    standing(uscc: $u, purpose: $p) {
      uscc
      enterprise { name }
      consent { expiresAt }
      associations { association { name } membership { status } negativeRecords positiveRecords disputedRecords }
      trading { body { name } paymentOnTimeRatio pendingDisputes unsettledDisputes }
      bureaus { bureau { name } negativeRecords negativeCategories }
      associationsConcerns
      industryConcerns
      bureausConcerns
      goodStanding
      reasons
    }
  }
`;

interface Standing {
  uscc: string;
  enterprise: { name: string } | null;
  consent: { expiresAt: string } | null;
  associations: {
    association: { name: string };
    membership: { status: string } | null;
    negativeRecords: number | null;
    positiveRecords: number | null;
    disputedRecords: number | null;
  }[];
  trading: { body: { name: string }; paymentOnTimeRatio: number | null }[];
  bureaus: { bureau: { name: string }; negativeRecords: number | null; negativeCategories: string[] | null }[];
  associationsConcerns: string[] | null;
  industryConcerns: string[] | null;
  bureausConcerns: string[] | null;
  goodStanding: boolean | null;
  reasons: string[];
}

const codesAt = (errors: { path?: readonly (string | number)[]; extensions?: { code?: unknown } }[] | undefined) =>
  Object.fromEntries((errors ?? []).map((e) => [(e.path ?? []).join("."), e.extensions?.code]));

describe("standing", () => {
  it("when an enterprise with troubles at three owners consented, then the bank gets every owner's part and a reasoned 'not in good standing'", async () => {
    const r = await t.query<{ standing: Standing }>(STANDING, { u: usccOf(1), p: "LOAN_APPROVAL" }, bank());
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const s = r.data?.standing as Standing;
    expect(s.enterprise?.name).toBe("宁波恒达工具制造有限公司");
    expect(s.consent).not.toBeNull();
    expect(s.associations).toEqual([
      {
        association: { name: "华东五金制品行业协会 (demo)" },
        membership: { status: "ACTIVE" },
        negativeRecords: 1,
        positiveRecords: 0,
        disputedRecords: 0,
      },
    ]);
    expect(s.trading).toEqual([
      { body: { name: "钢材供应链联合会 (demo)" }, paymentOnTimeRatio: 0.58, pendingDisputes: 0, unsettledDisputes: 0 },
    ]);
    expect(s.bureaus).toEqual([
      { bureau: { name: "信联征信有限公司 (demo)" }, negativeRecords: 1, negativeCategories: ["JUDGMENT"] },
    ]);
    expect(s.goodStanding).toBe(false);
    expect(s.reasons).toHaveLength(3);
    expect(s.reasons.join("\n")).toMatch(
      /1 negative credit record\(s\) in force with association 华东五金制品行业协会/,
    );
    expect(s.reasons.join("\n")).toMatch(/Paid 58% on time .*钢材供应链联合会/);
    expect(s.reasons.join("\n")).toMatch(
      /1 negative record\(s\) in force with bureau 信联征信有限公司 \(demo\) \(JUDGMENT\)/,
    );
  });

  it("when an enterprise with a clean file consented, then it is in good standing and the reasons say why", async () => {
    const r = await t.query<{ standing: Standing }>(STANDING, { u: usccOf(0), p: "LOAN_APPROVAL" }, bank());
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(r.data?.standing).toMatchObject({
      goodStanding: true,
      reasons: ["Nothing adverse in any owner's records."],
      associationsConcerns: [],
      industryConcerns: [],
      bureausConcerns: [],
    });
    expect(r.data?.standing.associations[0]?.positiveRecords).toBe(1);
  });

  it("when the enterprise has not consented, then its consent-only parts and the verdict are FORBIDDEN and the shared parts still come back", async () => {
    const r = await t.query<{ standing: Standing }>(STANDING, { u: usccOf(6), p: "LOAN_APPROVAL" }, bank());
    const s = r.data?.standing as Standing;
    expect(codesAt(r.errors)).toEqual({
      "standing.associationsConcerns": "FORBIDDEN",
      "standing.industryConcerns": "FORBIDDEN",
      "standing.goodStanding": "FORBIDDEN",
    });
    expect(r.errors?.find((e) => e.path?.join(".") === "standing.associationsConcerns")?.message).toMatch(
      /not given you consent for LOAN_APPROVAL/,
    );
    expect(s.consent).toBeNull();
    expect(s.associationsConcerns).toBeNull();
    expect(s.goodStanding).toBeNull();
    // The bureau holds nothing about this enterprise: its part is empty, not withheld.
    expect(s.bureausConcerns).toEqual([]);
    expect(s.associations[0]).toMatchObject({ negativeRecords: 1, membership: { status: "ACTIVE" } });
    expect(s.reasons).toEqual([
      "Not weighed: the associations' credit files are withheld from you.",
      "Not weighed: the industry bodies' trading records are withheld from you.",
    ]);
  });

  it("when the bank checked a standing, then the bureau's query log and the enterprise's access history show it as an application query", async () => {
    await t.query(STANDING, { u: usccOf(1), p: "LOAN_APPROVAL" }, bank());
    const enterprise = Object.entries(demo).find(
      ([name]) => name === "宁波恒达工具制造有限公司",
    )?.[1] as DemoCredential;
    const HISTORY = /* GraphQL */ `
      query ($u: USCC!) {
        enterprise(uscc: $u) {
          bureausAccessHistory { events { caller { id } purpose queryKind decision fields } }
          associationsAccessHistory { events { caller { id } purpose queryKind decision fields } }
          industryAccessHistory { events { caller { id } purpose queryKind decision fields } }
        }
      }
    `;
    type Events = { events: { caller: { id: string }; purpose: string; queryKind: string; fields: string[] }[] };
    const r = await t.query<{ enterprise: Record<string, Events> }>(
      HISTORY,
      { u: usccOf(1) },
      { apiKey: enterprise.apiKey },
    );
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    for (const [log, field] of [
      ["bureausAccessHistory", "Standing.bureausConcerns"],
      ["associationsAccessHistory", "Standing.associationsConcerns"],
      ["industryAccessHistory", "Standing.industryConcerns"],
    ] as const) {
      const event = r.data?.enterprise[log]?.events.find((e) => e.fields.includes(field));
      expect(event, log).toMatchObject({
        caller: { id: credential("FINANCIAL").organisationId },
        purpose: "LOAN_APPROVAL",
        queryKind: "APPLICATION",
      });
    }
  });

  it("when the purpose argument is not the stated purpose, the caller is not a bank, or the code is unknown, then it says so", async () => {
    const q = `query ($u: USCC!) { standing(uscc: $u, purpose: LOAN_APPROVAL) { uscc } }`;
    const wrongPurpose = await t.query(q, { u: usccOf(0) }, { ...bank(), purpose: "POST_LOAN_MONITORING" });
    expect(wrongPurpose.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(wrongPurpose.errors?.[0]?.message).toMatch(/must be the purpose stated in x-purpose/);
    const bureau = await t.query(
      q,
      { u: usccOf(0) },
      { apiKey: credential("BUREAU").apiKey, purpose: "LOAN_APPROVAL" },
    );
    expect(bureau.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await t.query(q, { u: usccOf(0) }, { purpose: "LOAN_APPROVAL" });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const unknown = await t.query(q, { u: newUscc() }, bank());
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const malformed = await t.query(q, { u: "91110000MA0000000X" }, bank());
    expect(malformed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("standings", () => {
  const STANDINGS = /* GraphQL */ `
    query ($u: [USCC!]!) { standings(usccs: $u, purpose: LOAN_APPROVAL) { uscc goodStanding associations { negativeRecords } } }
  `;

  it("when a bank asks for several at once, then each comes back in order and an unknown code is null with NOT_FOUND at its place", async () => {
    const missing = newUscc();
    const r = await t.query<{ standings: ({ uscc: string; goodStanding: boolean | null } | null)[] }>(
      STANDINGS,
      { u: [usccOf(0), missing, usccOf(1)] },
      bank(),
    );
    expect(r.data?.standings.map((s) => s && { uscc: s.uscc, good: s.goodStanding })).toEqual([
      { uscc: usccOf(0), good: true },
      null,
      { uscc: usccOf(1), good: false },
    ]);
    expect(codesAt(r.errors)).toEqual({ "standings.1": "NOT_FOUND" });
  });

  it("when more than 100 or repeated codes are asked for, then it is BAD_USER_INPUT", async () => {
    const many = Array.from({ length: 101 }, () => usccOf(0));
    const tooMany = await t.query(STANDINGS, { u: many }, bank());
    expect(tooMany.errors?.[0]?.message).toMatch(/between 1 and 100/);
    const repeated = await t.query(STANDINGS, { u: [usccOf(0), usccOf(0)] }, bank());
    expect(repeated.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });
});
