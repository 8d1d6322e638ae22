import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { journey } from "../examples/credit-officer/journey.ts";
import { DEMO_ENTERPRISES, DEMO_PROGRAMMES, type DemoCredential, seedDemo } from "../hub/seed.ts";
import { cli } from "./support/cli.ts";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { pdfText } from "./support/pdf.ts";

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
      associationsFindings { code adverse value }
      industryFindings { code adverse value }
      bureausFindings { code adverse value }
      goodStanding
      concerns { code owner { name } message messageEn }
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
  associationsFindings: Finding[] | null;
  industryFindings: Finding[] | null;
  bureausFindings: Finding[] | null;
  goodStanding: boolean | null;
  concerns: { code: string; owner: { name: string } | null; message: string; messageEn: string }[];
  reasons: string[];
}

type Finding = { code: string; adverse: boolean; value: number | null };

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
    // Each concern: a stable code for programs, the owner by name (never by id), Chinese and English.
    expect(s.concerns.map((c) => [c.code, c.owner?.name])).toEqual([
      ["NEGATIVE_RECORD", "华东五金制品行业协会 (demo)"],
      ["LATE_PAYMENTS", "钢材供应链联合会 (demo)"],
      ["NEGATIVE_RECORD", "信联征信有限公司 (demo)"],
    ]);
    expect(s.concerns[0]?.message).toMatch(/^华东五金制品行业协会 \(demo\)：有效的不良信用记录 1 条/);
    expect(s.concerns[1]?.messageEn).toMatch(/^钢材供应链联合会 \(demo\): Paid 58% on time in /);
    expect(s.concerns[2]?.messageEn).toBe("信联征信有限公司 (demo): 1 negative record(s) in force (JUDGMENT).");
    expect(s.reasons).toHaveLength(3);
    expect(s.reasons.join("\n")).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(s.industryFindings).toEqual([{ code: "LATE_PAYMENTS", adverse: true, value: 0.58 }]);
  });

  it("when an enterprise with a clean file consented, then it is in good standing and the reasons say why", async () => {
    const r = await t.query<{ standing: Standing }>(STANDING, { u: usccOf(0), p: "LOAN_APPROVAL" }, bank());
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(r.data?.standing).toMatchObject({
      goodStanding: true,
      reasons: ["各数据保管机构均无不良信息 / Nothing adverse in any owner's records."],
      concerns: [],
      bureausFindings: [],
    });
    // Facts that are not adverse still come back, for a bank's programmes to weigh.
    expect(r.data?.standing.associationsFindings?.every((f) => !f.adverse)).toBe(true);
    expect(r.data?.standing.associations[0]?.positiveRecords).toBe(1);
  });

  it("when the enterprise has not consented, then its consent-only parts and the verdict are FORBIDDEN and the shared parts still come back", async () => {
    const r = await t.query<{ standing: Standing }>(STANDING, { u: usccOf(6), p: "LOAN_APPROVAL" }, bank());
    const s = r.data?.standing as Standing;
    expect(codesAt(r.errors)).toEqual({
      "standing.associationsFindings": "FORBIDDEN",
      "standing.industryFindings": "FORBIDDEN",
      "standing.goodStanding": "FORBIDDEN",
    });
    const refusal = r.errors?.find((e) => e.path?.join(".") === "standing.associationsFindings");
    expect(refusal?.message).toMatch(/not given you consent for LOAN_APPROVAL/);
    expect(refusal?.extensions?.reason).toBe("CONSENT_MISSING");
    expect(s.consent).toBeNull();
    expect(s.associationsFindings).toBeNull();
    expect(s.goodStanding).toBeNull();
    // The bureau holds nothing about this enterprise: its part is empty, not withheld.
    expect(s.bureausFindings).toEqual([]);
    expect(s.associations[0]).toMatchObject({ negativeRecords: 1, membership: { status: "ACTIVE" } });
    expect(s.concerns.map((c) => [c.code, c.owner])).toEqual([
      ["NOT_WEIGHED", null],
      ["NOT_WEIGHED", null],
    ]);
    expect(s.reasons).toEqual([
      "未纳入判断：「associations' credit files」未向您开放 / Not weighed: the associations' credit files are withheld from you.",
      "未纳入判断：「industry bodies' trading records」未向您开放 / Not weighed: the industry bodies' trading records are withheld from you.",
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
      ["bureausAccessHistory", "Standing.bureausFindings"],
      ["associationsAccessHistory", "Standing.associationsFindings"],
      ["industryAccessHistory", "Standing.industryFindings"],
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

describe("programmes", () => {
  const ELIGIBILITY = /* GraphQL */ `
    query ($u: [USCC!]!) {
      standings(usccs: $u, purpose: LOAN_APPROVAL) {
        uscc
        programmes { programme { name } eligible unmet { criterion code message messageEn } }
      }
    }
  `;
  type Eligibility = {
    uscc: string;
    programmes: {
      programme: { name: string };
      eligible: boolean | null;
      unmet: { criterion: string; code: string; message: string; messageEn: string }[];
    }[];
  };
  const verdicts = (s: Eligibility | null | undefined) =>
    Object.fromEntries(
      (s?.programmes ?? []).map((p) => [p.programme.name, { eligible: p.eligible, unmet: p.unmet.map((u) => u.code) }]),
    );

  it("when the demo bank checks its demo enterprises, then each programme says eligible or which criteria are unmet (grade, sanction, red list, payment ratio, adverse facts)", async () => {
    const r = await t.query<{ standings: Eligibility[] }>(
      ELIGIBILITY,
      { u: [usccOf(0), usccOf(1), usccOf(7)] },
      bank(),
    );
    const [clean, troubled, condemned] = r.data?.standings ?? [];
    const [preferential, redList] = DEMO_PROGRAMMES.map((p) => p.name) as [string, string];
    // Graded AAA, nothing adverse, consented: the rate discount applies; the red-list lane does not.
    expect(verdicts(clean)).toEqual({
      [preferential]: { eligible: true, unmet: [] },
      [redList]: { eligible: false, unmet: ["NOT_ON_RED_LIST", "NO_PAYMENT_RECORD"] },
    });
    // No grade, three adverse findings, 58% paid on time.
    expect(verdicts(troubled)).toEqual({
      [preferential]: { eligible: false, unmet: ["NO_GRADE", "ADVERSE_FACTS"] },
      [redList]: { eligible: false, unmet: ["NOT_ON_RED_LIST", "LATE_PAYMENTS"] },
    });
    expect(troubled?.programmes[1]?.unmet[1]).toMatchObject({
      criterion: "ON_TIME_RATIO_AT_LEAST",
      message: "按时付款比例 58%，低于 95%",
      messageEn: "58% of payments on time, below 95%.",
    });
    // No consent: the associations' part is withheld, so no programme is decided on what is left.
    expect(verdicts(condemned)[preferential]).toEqual({ eligible: null, unmet: ["NOT_WEIGHED"] });
  });

  it("when a bank defines a programme with criteria that do not fit their kind, then it is BAD_USER_INPUT naming the place, and nothing is stored", async () => {
    const DEFINE = /* GraphQL */ `
      mutation ($i: DefineProgrammeInput!) { defineProgramme(input: $i) { id criteria { kind grade description } } }
    `;
    const bad = await t.query(
      DEFINE,
      {
        i: {
          name: "坏方案",
          criteria: [
            { kind: "GRADE_AT_LEAST", grade: "Z" },
            { kind: "ON_RED_LIST", ratio: 0.5 },
            { kind: "NO_SANCTION_AT_LEAST", level: "WARNING", withinYears: 3 },
          ],
        },
      },
      bank(),
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.message).toMatch(/criteria\[0\]\.grade/);
    expect(bad.errors?.[0]?.message).toMatch(/criteria\[1\]/);
    expect(bad.errors?.[0]?.message).toMatch(/criteria\[2\]\.level/);
    const listed = await t.query<{ programmes: { name: string }[] }>(`{ programmes { name } }`, {}, bank());
    expect(listed.data?.programmes.map((p) => p.name)).not.toContain("坏方案");
    const bureau = await t.query(
      DEFINE,
      { i: { name: "x", criteria: [{ kind: "ON_RED_LIST" }] } },
      { apiKey: credential("BUREAU").apiKey },
    );
    expect(bureau.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("the credit officer's walkthrough (examples/credit-officer, as the README tells it)", () => {
  it("when a bank runs the journey with a plain GraphQL client, then consent is asked and given, the standing weighs its programmes, and the saved report verifies offline", async () => {
    const out = mkdtempSync(join(tmpdir(), "officer-"));
    const enterprise = demo[DEMO_ENTERPRISES[0]?.name as string] as DemoCredential;
    const lines: string[] = [];
    const result = await journey({
      url: t.url,
      bankKey: credential("FINANCIAL").apiKey,
      enterpriseKey: enterprise.apiKey,
      uscc: usccOf(0),
      out,
      log: (line) => lines.push(line),
    });
    expect(result.standing?.goodStanding).toBe(true);
    expect(lines.join("\n")).toMatch(/优质会员企业贷款利率优惠 \(demo\): eligible/);
    const verified = await cli([
      "report",
      "verify",
      result.files?.report as string,
      "--keys",
      result.files?.keys as string,
    ]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const text = await pdfText(readFileSync(result.files?.pdf as string));
    expect(text).toContain(result.report?.number);
    expect(text).toContain("上海精工五金有限公司");
  });
});
