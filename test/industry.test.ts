import { beforeAll, describe, expect, it } from "vitest";
import { sharedTestHub, type TestHub } from "./support/hub.ts";
import { grant, memberWithRecord, ok } from "./support/scenes.ts";

/** The industry subgraph: built on the SDK alone, its own grants, permissions and audit, one answer with the others. */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

const RECORD = /* GraphQL */ `
  mutation ($i: RecordTradePerformanceInput!) { recordTradePerformance(input: $i) { id } }
`;

async function tradeScene() {
  const member = await memberWithRecord(t);
  const body = await t.organisation("INDUSTRY_BODY");
  await ok(
    t,
    RECORD,
    {
      i: {
        uscc: member.uscc,
        kind: "PAYMENT",
        periodStart: "2024-01-01",
        periodEnd: "2024-12-31",
        onTimeRatio: 0.62,
        counterparty: "某钢材供应商",
        detail: "全年 38% 的货款逾期超过 30 天",
      },
    },
    body.key,
  );
  const bank = await t.organisation("FINANCIAL");
  await ok(
    t,
    `mutation ($i: GrantIndustryBodyAccessInput!) { grantIndustryBodyAccess(input: $i) { id } }`,
    { i: { consumerType: "FINANCIAL", classes: ["SHARED"], purposes: ["LOAN_APPROVAL"] } },
    body.key,
  );
  return { ...member, body, bank };
}

const ALL = /* GraphQL */ `
  query ($u: USCC!) {
    enterprise(uscc: $u) {
      name
      creditRecords { polarity }
      tradeRecords { kind onTimeRatio detail counterparty owner { id } }
    }
  }
`;

describe("trade performance kept by industry bodies", () => {
  it("when a bank with the body's grant asks across three subgraphs, then each owner's fields follow its own decision", async () => {
    const s = await tradeScene();
    const r = await t.query<{ enterprise: Record<string, unknown> }>(
      ALL,
      { u: s.uscc },
      { apiKey: s.bank.key, purpose: "LOAN_APPROVAL" },
    );
    expect(r.data?.enterprise).toEqual({
      name: expect.any(String),
      // The association grants nothing: its record is not even shown to exist.
      creditRecords: [],
      tradeRecords: [
        { kind: "PAYMENT", onTimeRatio: 0.62, detail: null, counterparty: null, owner: { id: s.body.id } },
      ],
    });
    const denied = (r.errors ?? []).map((e) => `${e.extensions?.code} ${e.path?.join(".")}`).sort();
    expect(denied).toEqual([
      "FORBIDDEN enterprise.tradeRecords.0.counterparty",
      "FORBIDDEN enterprise.tradeRecords.0.detail",
    ]);
    // The association grants too: now its field opens, the body's decisions stay the body's.
    await grant(t, s.association.key, { consumerType: "FINANCIAL", classes: ["SHARED"] });
    const again = await t.query<{ enterprise: { creditRecords: unknown[] } }>(
      ALL,
      { u: s.uscc },
      { apiKey: s.bank.key, purpose: "LOAN_APPROVAL" },
    );
    expect(again.data?.enterprise.creditRecords).toEqual([{ polarity: "NEGATIVE" }]);
  });

  it("when the bank reads, then the read is in the industry body's audit log and the enterprise's history there", async () => {
    const s = await tradeScene();
    const enterprise = await t.organisation("ENTERPRISE", { uscc: s.uscc });
    await t.query(ALL, { u: s.uscc }, { apiKey: s.bank.key, purpose: "LOAN_APPROVAL" });
    const history = await ok<{ enterprise: { industryAccessHistory: { events: Record<string, unknown>[] } } }>(
      t,
      `query ($u: USCC!) { enterprise(uscc: $u) { industryAccessHistory { events { caller { id } purpose decision fields } } } }`,
      { u: s.uscc },
      enterprise.key,
    );
    // One request, two entries (what was released, what was denied): their order within the request is immaterial.
    const events = [...history.enterprise.industryAccessHistory.events].sort((a, b) =>
      String(a.decision).localeCompare(String(b.decision)),
    );
    expect(events).toEqual([
      {
        caller: { id: s.bank.id },
        purpose: "LOAN_APPROVAL",
        decision: "DENIED",
        fields: ["TradeRecord.counterparty", "TradeRecord.detail"],
      },
      {
        caller: { id: s.bank.id },
        purpose: "LOAN_APPROVAL",
        decision: "RELEASED",
        fields: ["Enterprise.tradeRecords", "TradeRecord.kind", "TradeRecord.onTimeRatio", "TradeRecord.owner"],
      },
    ]);
  });

  it.each([
    ["a PAYMENT without its ratio", { kind: "PAYMENT" }, /onTimeRatio/],
    ["a CONTRACT fulfilling more than was due", { kind: "CONTRACT", fulfilled: 5, due: 3 }, /fulfilled ≤ due/],
    [
      "a period that ends before it starts",
      { kind: "DISPUTE", mediationOutcome: "SETTLED", periodEnd: "2023-01-01" },
      /periodEnd is before/,
    ],
  ])("when a record has %s, then BAD_USER_INPUT and nothing is stored", async (_kind, patch, message) => {
    const s = await tradeScene();
    const r = await t.query(
      RECORD,
      { i: { uscc: s.uscc, periodStart: "2024-01-01", periodEnd: "2024-06-30", ...patch } },
      { apiKey: s.body.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(message);
    const own = await ok<{ enterprise: { tradeRecords: unknown[] } }>(
      t,
      `query ($u: USCC!) { enterprise(uscc: $u) { tradeRecords { id } } }`,
      { u: s.uscc },
      s.body.key,
    );
    expect(own.enterprise.tradeRecords).toHaveLength(1);
  });

  it("when an association tries to record trade performance, then it is FORBIDDEN", async () => {
    const s = await tradeScene();
    const r = await t.query(
      RECORD,
      {
        i: {
          uscc: s.uscc,
          kind: "DISPUTE",
          mediationOutcome: "PENDING",
          periodStart: "2024-01-01",
          periodEnd: "2024-02-01",
        },
      },
      { apiKey: s.association.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
