import { beforeAll, describe, expect, it } from "vitest";
import { syncBureau } from "../hub/bureau-sync.ts";
import { associationsDb, newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { admit, grant, memberWithRecord, ok } from "./support/scenes.ts";

/**
 * A row's existence is data too. A caller outside the class that governs it
 * learns nothing of the row — not a count, not whether a filter matched — and
 * the attempt is a denial in the enterprise's access history. Refused changes
 * and refused looks at someone's history are in the owner's audit log like
 * refused reads. The signed checkpoints come a page at a time.
 */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

const PURPOSE = "LOAN_APPROVAL";
type Org = { id: string; key: string };

/**
 * One enterprise with one row in every list of subject rows: a negative
 * credit record, a trading partner's report, a warning (MEMBER), a watch-list
 * entry (SHARED), a trade record, a bureau's own record and a bureau's copy of
 * the association's record. A bank holds every owner's grant; another
 * organisation holds none.
 */
async function scene() {
  const member = await memberWithRecord(t);
  const { association, uscc } = member;
  await ok(
    t,
    `mutation { publishConvention(input: { title: "行业自律公约", text: "第一条 诚信经营", adoptedOn: "2025-01-01" }) { version } }`,
    {},
    association.key,
  );
  await ok(
    t,
    `mutation ($i: ImposeSanctionInput!) { imposeSanction(input: $i) { id } }`,
    { i: { uscc, level: "WARNING", reason: "迟报年报", decidedOn: "2025-03-01" } },
    association.key,
  );
  const { addToList } = await ok<{ addToList: { id: string } }>(
    t,
    `mutation ($i: AddToListInput!) { addToList(input: $i) { id } }`,
    { i: { uscc, list: "WATCH", reason: "多次投诉", enteredOn: "2025-03-01" } },
    association.key,
  );
  const reporter = newUscc();
  await admit(t, association.key, reporter);
  await ok(
    t,
    `mutation ($i: ReportTradingPartnerInput!) { reportTradingPartner(input: $i) { id } }`,
    {
      i: {
        reporterUscc: reporter,
        partnerUscc: uscc,
        relation: "CUSTOMER",
        indicator: "PAYMENT_PUNCTUALITY",
        assessment: "POOR",
        periodStart: "2024-01-01",
        periodEnd: "2024-12-31",
      },
    },
    association.key,
  );

  const body = await t.organisation("INDUSTRY_BODY");
  await ok(
    t,
    `mutation ($i: RecordTradePerformanceInput!) { recordTradePerformance(input: $i) { id } }`,
    { i: { uscc, kind: "PAYMENT", onTimeRatio: 0.5, periodStart: "2024-01-01", periodEnd: "2024-12-31" } },
    body.key,
  );
  const bureau = await t.organisation("BUREAU");
  await ok(
    t,
    `mutation ($i: RecordBureauEntryInput!) { recordBureauEntry(input: $i) { id } }`,
    {
      i: {
        uscc,
        polarity: "NEGATIVE",
        category: "JUDGMENT",
        summary: "败诉",
        source: "法院",
        occurredOn: "2024-02-01",
      },
    },
    bureau.key,
  );
  await grant(t, association.key, {
    consumerOrganisationId: bureau.id,
    classes: ["SHARED"],
    purposes: ["CREDIT_REPORTING"],
  });
  await syncBureau(t.url, bureau.key);

  const bank = await t.organisation("FINANCIAL");
  await grant(t, association.key, { consumerOrganisationId: bank.id, classes: ["SHARED"] });
  const terms = { consumerOrganisationId: bank.id, classes: ["SHARED"], purposes: [PURPOSE] };
  await ok(
    t,
    `mutation ($i: GrantIndustryBodyAccessInput!) { grantIndustryBodyAccess(input: $i) { id } }`,
    { i: terms },
    body.key,
  );
  await ok(
    t,
    `mutation ($i: GrantBureauAccessInput!) { grantBureauAccess(input: $i) { id } }`,
    { i: terms },
    bureau.key,
  );

  return {
    ...member,
    watchEntryId: addToList.id,
    body,
    bureau,
    bank,
    stranger: await t.organisation("FINANCIAL"),
    enterprise: await t.organisation("ENTERPRISE", { uscc }),
  };
}

const LISTS = /* GraphQL */ `
  query ($u: USCC!) {
    enterprise(uscc: $u) {
      creditRecords { __typename }
      negative: creditRecords(polarity: NEGATIVE) { __typename }
      withRetracted: creditRecords(includeRetracted: true) { __typename }
      tradingPartnerReports { __typename }
      sanctions { __typename }
      listEntries { __typename }
      tradeRecords { __typename }
      bureauRecords { __typename }
      receivedRecords { __typename }
    }
  }
`;
const LIST_NAMES = [
  "creditRecords",
  "negative",
  "withRetracted",
  "tradingPartnerReports",
  "sanctions",
  "listEntries",
  "tradeRecords",
  "bureauRecords",
  "receivedRecords",
] as const;

/** How many rows of each list came back. */
async function counts(uscc: string, options: { apiKey?: string; purpose?: string }) {
  const r = await t.query<{ enterprise: Record<string, unknown[]> }>(LISTS, { u: uscc }, options);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return Object.fromEntries(LIST_NAMES.map((name) => [name, r.data?.enterprise[name]?.length]));
}

const none = Object.fromEntries(LIST_NAMES.map((name) => [name, 0]));
const all = Object.fromEntries(LIST_NAMES.map((name) => [name, 1]));

type Events = { events: { caller: { id: string } | null; decision: string; fields: string[] }[] };

/** The enterprise's access history with one owner, as the enterprise sees it. */
async function history(log: string, enterprise: Org, uscc: string) {
  const data = await ok<{ enterprise: Record<string, Events> }>(
    t,
    `query ($u: USCC!) { enterprise(uscc: $u) { ${log}(first: 50) { events { caller { id } decision fields } } } }`,
    { u: uscc },
    enterprise.key,
  );
  return data.enterprise[log]?.events ?? [];
}

describe("a row's existence is data", () => {
  let s: Awaited<ReturnType<typeof scene>>;
  beforeAll(async () => {
    s = await scene();
  }, 120_000);

  it("when nobody signs in, then no list shows a row whose existence is not public, even with only __typename asked", async () => {
    expect(await counts(s.uscc, {})).toEqual(none);
  });

  it("when an organisation without a grant asks with a purpose, then no list shows it anything either", async () => {
    expect(await counts(s.uscc, { apiKey: s.stranger.key, purpose: PURPOSE })).toEqual(none);
  });

  it("when a bank holding every owner's SHARED grant asks, then it sees the rows, but not the member's warning", async () => {
    expect(await counts(s.uscc, { apiKey: s.bank.key, purpose: PURPOSE })).toEqual({ ...all, sanctions: 0 });
  });

  it("when the bank states a purpose its grants do not cover, then it sees no more than a stranger", async () => {
    expect(await counts(s.uscc, { apiKey: s.bank.key, purpose: "INSURANCE_UNDERWRITING" })).toEqual(none);
  });

  it("when the enterprise itself asks, then it sees every row about it", async () => {
    expect(await counts(s.uscc, { apiKey: s.enterprise.key })).toEqual(all);
  });

  it("when each owner asks, then it sees its own rows", async () => {
    const mine = (key: string, lists: (typeof LIST_NAMES)[number][]) =>
      counts(s.uscc, { apiKey: key }).then((c) => Object.fromEntries(lists.map((l) => [l, c[l]])));
    expect(
      await mine(s.association.key, [
        "creditRecords",
        "negative",
        "withRetracted",
        "tradingPartnerReports",
        "sanctions",
        "listEntries",
      ]),
    ).toEqual({
      creditRecords: 1,
      negative: 1,
      withRetracted: 1,
      tradingPartnerReports: 1,
      sanctions: 1,
      listEntries: 1,
    });
    expect(await mine(s.body.key, ["tradeRecords"])).toEqual({ tradeRecords: 1 });
    expect(await mine(s.bureau.key, ["bureauRecords", "receivedRecords"])).toEqual({
      bureauRecords: 1,
      receivedRecords: 1,
    });
  });

  it("when a caller who may not know of a record asks for it by id, then the answer is the one for a record that is not there", async () => {
    const BY_ID = `query ($id: ID!) { creditRecord(id: $id) { __typename } }`;
    const missing = "00000000-0000-4000-8000-000000000000";
    const hidden = await t.query(BY_ID, { id: s.recordId }, { apiKey: s.stranger.key, purpose: PURPOSE });
    const absent = await t.query(BY_ID, { id: missing }, { apiKey: s.stranger.key, purpose: PURPOSE });
    expect(hidden.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(hidden.errors?.[0]?.message).toBe(absent.errors?.[0]?.message.replace(missing, s.recordId));
    expect(hidden.data?.creditRecord ?? null).toBeNull();
    const granted = await t.query(BY_ID, { id: s.recordId }, { apiKey: s.bank.key, purpose: PURPOSE });
    expect(granted.data).toEqual({ creditRecord: { __typename: "CreditRecord" } });
  });

  it("when a stranger tries the lists, then each owner records the denial and the enterprise sees it in its history", async () => {
    const stranger = await t.organisation("FINANCIAL");
    await counts(s.uscc, { apiKey: stranger.key, purpose: PURPOSE });
    const denied = async (log: string) =>
      (await history(log, s.enterprise, s.uscc))
        .filter((e) => e.caller?.id === stranger.id)
        .map((e) => ({ decision: e.decision, fields: e.fields }));
    expect(await denied("associationsAccessHistory")).toEqual([
      {
        decision: "DENIED",
        fields: [
          "Enterprise.creditRecords",
          "Enterprise.listEntries",
          "Enterprise.sanctions",
          "Enterprise.tradingPartnerReports",
        ],
      },
    ]);
    expect(await denied("industryAccessHistory")).toEqual([
      { decision: "DENIED", fields: ["Enterprise.tradeRecords"] },
    ]);
    // The bureau's own record and its copy of the association's: one owner, one entry.
    expect(await denied("bureausAccessHistory")).toEqual([
      { decision: "DENIED", fields: ["Enterprise.bureauRecords", "Enterprise.receivedRecords"] },
    ]);
  });

  it("when nobody signs in and asks, then the denial is recorded without a caller", async () => {
    const before = (await history("associationsAccessHistory", s.enterprise, s.uscc)).length;
    await counts(s.uscc, {});
    const events = await history("associationsAccessHistory", s.enterprise, s.uscc);
    expect(events.length).toBeGreaterThan(before);
    expect(events[0]).toMatchObject({ caller: null, decision: "DENIED" });
    expect(events[0]?.fields).toContain("Enterprise.creditRecords");
  });
});

describe("refusals are audited like denied reads", () => {
  it("when an organisation is refused a change the permission table forbids it, then the owner's log names it, the enterprise and the field", async () => {
    const s = await memberWithRecord(t);
    const bank = await t.organisation("FINANCIAL");
    const r = await t.query(
      `mutation ($i: RecordCreditEventInput!) { recordCreditEvent(input: $i) { id } }`,
      {
        i: {
          uscc: s.uscc,
          polarity: "NEGATIVE",
          category: "PAYMENT",
          summary: "捏造",
          source: "无",
          occurredOn: "2024-01-01",
        },
      },
      { apiKey: bank.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const entries = await associationsDb(t).auditEntry.findMany({ where: { callerId: bank.id } });
    expect(entries.map((e) => ({ uscc: e.uscc, action: e.action, decision: e.decision, fields: e.fields }))).toEqual([
      { uscc: s.uscc, action: "WRITE", decision: "DENIED", fields: ["Mutation.recordCreditEvent"] },
    ]);
  });

  it("when an association is refused a change its resolver forbids, then the owner's log has the refusal", async () => {
    const s = await memberWithRecord(t);
    const { addToList } = await ok<{ addToList: { id: string } }>(
      t,
      `mutation ($i: AddToListInput!) { addToList(input: $i) { id } }`,
      { i: { uscc: s.uscc, list: "WATCH", reason: "投诉", enteredOn: "2025-03-01" } },
      s.association.key,
    );
    const other = await t.organisation("ASSOCIATION");
    const r = await t.query(
      `mutation ($id: ID!) { removeFromList(id: $id, reason: "越权", listedInError: true) { id } }`,
      { id: addToList.id },
      { apiKey: other.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const entries = await associationsDb(t).auditEntry.findMany({ where: { callerId: other.id } });
    expect(entries.map((e) => ({ action: e.action, decision: e.decision, fields: e.fields }))).toEqual([
      { action: "WRITE", decision: "DENIED", fields: ["Mutation.removeFromList"] },
    ]);
  });

  it("when a bank asks for an enterprise's access history, then it is refused and the enterprise sees the attempt", async () => {
    const s = await memberWithRecord(t);
    const enterprise = await t.organisation("ENTERPRISE", { uscc: s.uscc });
    const bank = await t.organisation("FINANCIAL");
    const HISTORY = `query ($u: USCC!) { enterprise(uscc: $u) { associationsAccessHistory { events { decision } } } }`;
    const r = await t.query(HISTORY, { u: s.uscc }, { apiKey: bank.key, purpose: PURPOSE });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const events = await history("associationsAccessHistory", enterprise, s.uscc);
    expect(events.filter((e) => e.caller?.id === bank.id)).toEqual([
      { caller: { id: bank.id }, decision: "DENIED", fields: ["Enterprise.associationsAccessHistory"] },
    ]);
  });
});

describe("signed checkpoints", () => {
  const PAGE = /* GraphQL */ `
    query ($first: Int, $after: String) {
      associationsAuditCheckpoints(first: $first, after: $after) { checkpoints { seq hash signature } nextCursor }
    }
  `;
  type Page = { associationsAuditCheckpoints: { checkpoints: { seq: string }[]; nextCursor: string | null } };

  it("when anyone pages through the checkpoints, then each comes once, oldest first, and a page holds at most 100", async () => {
    const associations = t.hub.subgraphs.associations;
    if (!associations) throw new Error("no associations subgraph");
    for (let i = 0; i < 3; i++) {
      await memberWithRecord(t);
      await associations.checkpoint();
    }
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Page = (await ok<Page>(t, PAGE, { first: 2, after }, t.operatorKey)) as Page;
      expect(page.associationsAuditCheckpoints.checkpoints.length).toBeLessThanOrEqual(2);
      seen.push(...page.associationsAuditCheckpoints.checkpoints.map((c) => c.seq));
      after = page.associationsAuditCheckpoints.nextCursor;
    } while (after);
    const stored = await associationsDb(t).auditCheckpoint.findMany({ orderBy: { seq: "asc" } });
    expect(seen).toEqual(stored.map((c) => c.seq.toString()));
    expect(seen.length).toBeGreaterThanOrEqual(3);

    const tooMany = await t.query(PAGE, { first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
