import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { admit, giveConsent, grant, ok } from "./support/scenes.ts";

/**
 * What every data owner accepts as a write about an enterprise: only about one
 * the hub's directory knows (the gateway vouches for it in the hub token), only
 * about its own members where the domain says so, with dates and texts of sane
 * size — and errors that never send a long value back whole. Plus: one
 * credential per request.
 */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub({ now: () => new Date("2026-03-01T09:00:00Z") });
});

const REGISTER = /* GraphQL */ `
  mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }
`;
const ADMIT = /* GraphQL */ `
  mutation ($i: AdmitMemberInput!) { admitMember(input: $i) { id } }
`;
const ADD_TO_LIST = /* GraphQL */ `
  mutation ($i: AddToListInput!) { addToList(input: $i) { id list } }
`;
const RECORD_EVENT = /* GraphQL */ `
  mutation ($i: RecordCreditEventInput!) { recordCreditEvent(input: $i) { id } }
`;
const IMPOSE = /* GraphQL */ `
  mutation ($i: ImposeSanctionInput!) { imposeSanction(input: $i) { id clause } }
`;
const CONVENTION = /* GraphQL */ `
  mutation { publishConvention(input: { title: "自律公约", text: "第一条 诚信经营", adoptedOn: "2025-12-01" }) { version } }
`;
const TRADE = /* GraphQL */ `
  mutation ($i: RecordTradePerformanceInput!) { recordTradePerformance(input: $i) { id } }
`;
const BUREAU = /* GraphQL */ `
  mutation ($i: RecordBureauEntryInput!) { recordBureauEntry(input: $i) { id } }
`;
const PUBLIC_PAGE = /* GraphQL */ `
  query ($u: USCC!) { enterprise(uscc: $u) { listEntries { list } sanctions { level } } }
`;
const STANDING = /* GraphQL */ `
  query ($u: USCC!) {
    standing(uscc: $u, purpose: LOAN_APPROVAL) { associations { lists { list } } goodStanding }
  }
`;

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => (errors ?? []).map((e) => e.extensions?.code);
/** The whole error answer as the client sees it: no long value may come back in it, message or extension. */
const sentBack = (errors: Errors) => JSON.stringify(errors ?? []);

// ASCII, so 200 KB fits under the gateway's request size limit and reaches the owner.
const TEXT_200_KB = "x".repeat(200 * 1024);

/** A known enterprise, member of one association. */
async function memberOf() {
  const association = await t.organisation("ASSOCIATION");
  const uscc = newUscc();
  await admit(t, association.key, uscc);
  return { association, uscc };
}

describe("associations write only about enterprises the directory knows, and lists and sanctions only their members", () => {
  it("when an association puts another association's member on its black list, then it is refused and the enterprise's standing and public page stay clean", async () => {
    const { uscc } = await memberOf();
    const stranger = await t.organisation("ASSOCIATION");
    const listed = await t.query(
      ADD_TO_LIST,
      { i: { uscc, list: "BLACK", reason: "恶意拖欠", enteredOn: "2026-01-05" } },
      { apiKey: stranger.key },
    );
    expect(codes(listed.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(listed.errors?.[0]?.message).toMatch(/never been a member of your association/);

    const sanctioned = await ok(t, CONVENTION, {}, stranger.key).then(() =>
      t.query(
        IMPOSE,
        { i: { uscc, level: "PUBLIC_CONDEMNATION", reason: "串通投标", decidedOn: "2026-02-01" } },
        { apiKey: stranger.key },
      ),
    );
    expect(codes(sanctioned.errors)).toEqual(["BAD_USER_INPUT"]);

    const recorded = await t.query(
      RECORD_EVENT,
      {
        i: {
          uscc,
          polarity: "NEGATIVE",
          category: "PAYMENT",
          summary: "逾期",
          source: "投诉",
          occurredOn: "2025-01-01",
        },
      },
      { apiKey: stranger.key },
    );
    expect(codes(recorded.errors)).toEqual(["BAD_USER_INPUT"]);

    const page = await t.query<{ enterprise: { listEntries: unknown[]; sanctions: unknown[] } }>(PUBLIC_PAGE, {
      u: uscc,
    });
    expect(page.errors).toBeUndefined();
    expect(page.data?.enterprise).toEqual({ listEntries: [], sanctions: [] });

    const bank = await t.organisation("FINANCIAL");
    await grant(t, stranger.key, { consumerOrganisationId: bank.id });
    const enterprise = await t.organisation("ENTERPRISE", { uscc });
    await giveConsent(t, enterprise.key, bank.id);
    const standing = await t.query<{ standing: { goodStanding: boolean } }>(
      STANDING,
      { u: uscc },
      { apiKey: bank.key, purpose: "LOAN_APPROVAL" },
    );
    expect(standing.errors, JSON.stringify(standing.errors)).toBeUndefined();
    expect(standing.data?.standing.goodStanding).toBe(true);
  });

  it("when an association admits or lists a code the directory does not know, then it is refused with NOT_FOUND and nothing is stored", async () => {
    const association = await t.organisation("ASSOCIATION");
    const unknown = newUscc();
    const admitted = await t.query(
      ADMIT,
      { i: { uscc: unknown, joinedOn: "2020-01-01" } },
      { apiKey: association.key },
    );
    expect(codes(admitted.errors)).toEqual(["NOT_FOUND"]);
    expect(admitted.errors?.[0]?.message).toMatch(/directory does not know enterprise .*register it first/);
    // The same code written inline in the query text, where the gateway must find it too.
    const inline = await t.query(
      `mutation { admitMember(input: { uscc: "${unknown}", joinedOn: "2020-01-01" }) { id } }`,
      {},
      { apiKey: association.key },
    );
    expect(codes(inline.errors)).toEqual(["NOT_FOUND"]);
    const members = await ok<{ members: unknown[] }>(t, `query { members { id } }`, {}, association.key);
    expect(members.members).toEqual([]);

    // Once registered, the same write goes through — inline, and typed in lower case, as the scalar accepts.
    await ok(t, REGISTER, { i: { uscc: unknown, name: `测试企业 ${unknown}` } }, association.key);
    await ok(
      t,
      `mutation { admitMember(input: { uscc: "${unknown.toLowerCase()}", joinedOn: "2020-01-01" }) { id } }`,
      {},
      association.key,
    );
    expect((await ok<{ members: unknown[] }>(t, `query { members { id } }`, {}, association.key)).members).toHaveLength(
      1,
    );
  });

  it("when a date before 1949-10-01 or a 200 KB text is sent, then it is refused and the answer does not carry the value back", async () => {
    const { association, uscc } = await memberOf();
    const old = await t.query(
      ADD_TO_LIST,
      { i: { uscc, list: "WATCH", reason: "观察", enteredOn: "1900-01-01" } },
      { apiKey: association.key },
    );
    expect(codes(old.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(old.errors?.[0]?.message).toMatch(/before 1949-10-01/);

    await ok(t, CONVENTION, {}, association.key);
    const long = await t.query(
      IMPOSE,
      { i: { uscc, level: "WARNING", reason: "迟交年报", decidedOn: "2026-02-01", clause: TEXT_200_KB } },
      { apiKey: association.key },
    );
    expect(codes(long.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(sentBack(long.errors).length).toBeLessThan(1000);
    const page = await t.query<{ enterprise: { sanctions: unknown[] } }>(PUBLIC_PAGE, { u: uscc });
    expect(page.data?.enterprise.sanctions).toEqual([]);

    // A label just over its own bound (far below the SDK-wide ceiling) is refused by the field's bound.
    const reason = await t.query(
      `mutation ($i: EndMembershipInput!) { endMembership(input: $i) { id } }`,
      { i: { uscc, leftOn: "2026-01-01", reason: "x".repeat(5000) } },
      { apiKey: association.key },
    );
    expect(codes(reason.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(sentBack(reason.errors).length).toBeLessThan(1000);

    const badCode = "9".repeat(200 * 1024);
    const invalid = await t.query(ADMIT, { i: { uscc: badCode, joinedOn: "2020-01-01" } }, { apiKey: association.key });
    expect(invalid.errors?.length).toBeGreaterThan(0);
    expect(sentBack(invalid.errors).length).toBeLessThan(1000);
    // Below the SDK-wide ceiling, the USCC scalar's own message quotes the value cut short.
    const shorter = await t.query(
      ADMIT,
      { i: { uscc: "9".repeat(5000), joinedOn: "2020-01-01" } },
      { apiKey: association.key },
    );
    expect(codes(shorter.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(sentBack(shorter.errors).length).toBeLessThan(1000);
  });
});

describe("industry bodies and bureaus write only about enterprises the directory knows", () => {
  it("when an industry body records trade performance about an unknown code, a 1900 period or a 200 KB detail, then each is refused and nothing is stored", async () => {
    const body = await t.organisation("INDUSTRY_BODY");
    const known = newUscc();
    await ok(t, REGISTER, { i: { uscc: known, name: `测试企业 ${known}` } }, body.key);
    const trade = (i: Record<string, unknown>) => ({
      i: { uscc: known, kind: "PAYMENT", periodStart: "2024-01-01", periodEnd: "2024-12-31", onTimeRatio: 0.5, ...i },
    });

    const unknown = newUscc();
    const r1 = await t.query(TRADE, trade({ uscc: unknown }), { apiKey: body.key });
    expect(codes(r1.errors)).toEqual(["NOT_FOUND"]);
    const r2 = await t.query(TRADE, trade({ periodStart: "1900-01-01" }), { apiKey: body.key });
    expect(codes(r2.errors)).toEqual(["BAD_USER_INPUT"]);
    const r3 = await t.query(TRADE, trade({ detail: TEXT_200_KB }), { apiKey: body.key });
    expect(codes(r3.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(sentBack(r3.errors).length).toBeLessThan(1000);
    const r4 = await t.query(TRADE, trade({ periodEnd: "2027-12-31" }), { apiKey: body.key });
    expect(codes(r4.errors)).toEqual(["BAD_USER_INPUT"]);

    const industryDb = t.hub.subgraphs.industry?.db as { tradeRecord: { count(a: object): Promise<number> } };
    expect(await industryDb.tradeRecord.count({ where: { ownerId: body.id } })).toBe(0);
    await ok(t, TRADE, trade({}), body.key);
    expect(await industryDb.tradeRecord.count({ where: { ownerId: body.id } })).toBe(1);
  });

  it("when a bureau records about an unknown code or a 1900 date, then it is refused and nothing is stored", async () => {
    const bureau = await t.organisation("BUREAU");
    const entry = (i: Record<string, unknown>) => ({
      i: {
        uscc: newUscc(),
        polarity: "NEGATIVE",
        category: "JUDGMENT",
        summary: "判决",
        source: "裁判文书",
        occurredOn: "2023-05-05",
        ...i,
      },
    });
    const r1 = await t.query(BUREAU, entry({}), { apiKey: bureau.key });
    expect(codes(r1.errors)).toEqual(["NOT_FOUND"]);
    const known = newUscc();
    await ok(t, REGISTER, { i: { uscc: known, name: `测试企业 ${known}` } }, bureau.key);
    const r2 = await t.query(BUREAU, entry({ uscc: known, occurredOn: "1900-01-01" }), { apiKey: bureau.key });
    expect(codes(r2.errors)).toEqual(["BAD_USER_INPUT"]);
    const r3 = await t.query(BUREAU, entry({ uscc: known, category: TEXT_200_KB }), { apiKey: bureau.key });
    expect(codes(r3.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(sentBack(r3.errors).length).toBeLessThan(1000);

    const bureausDb = t.hub.subgraphs.bureaus?.db as { bureauRecord: { count(a: object): Promise<number> } };
    expect(await bureausDb.bureauRecord.count({ where: { ownerId: bureau.id } })).toBe(0);
    await ok(t, BUREAU, entry({ uscc: known }), bureau.key);
    expect(await bureausDb.bureauRecord.count({ where: { ownerId: bureau.id } })).toBe(1);
  });
});

describe("one credential per request", () => {
  it("when a valid x-api-key comes with a forged Authorization header, then the request is refused as UNAUTHENTICATED, not half-read", async () => {
    const association = await t.organisation("ASSOCIATION");
    const forged = `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"x"}').toString("base64url")}.sig`;
    for (const authorization of [forged, `Bearer ${association.key}`]) {
      const r = await t.query(
        `query { members { id } }`,
        {},
        {
          apiKey: association.key,
          headers: { authorization },
        },
      );
      expect(r.status).toBe(401);
      expect(codes(r.errors)).toEqual(["UNAUTHENTICATED"]);
      expect(r.errors?.[0]?.message).toMatch(/one credential/);
    }
  });
});
