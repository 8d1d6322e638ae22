import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUscc, startTestHub, type TestHub } from "./support/hub.ts";
import { grant, ok } from "./support/scenes.ts";

/**
 * No N+1: the SQL each owner subgraph runs for a query about N enterprises is
 * the same for N = 1, 10 and 100 (one batch per field, not one query per enterprise).
 */

let t: TestHub;
let bank: { id: string; key: string };
const usccs: string[] = [];

beforeAll(async () => {
  t = await startTestHub();
  const association = await t.organisation("ASSOCIATION");
  const body = await t.organisation("INDUSTRY_BODY");
  bank = await t.organisation("FINANCIAL");
  for (let i = 0; i < 100; i++) {
    const uscc = newUscc();
    usccs.push(uscc);
    await ok(
      t,
      `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
      { i: { uscc, name: `批量企业 ${i}` } },
      association.key,
    );
    await ok(
      t,
      `mutation ($i: AdmitMemberInput!) { admitMember(input: $i) { id } }`,
      { i: { uscc, joinedOn: "2020-01-01" } },
      association.key,
    );
    await ok(
      t,
      `mutation ($i: RecordCreditEventInput!) { recordCreditEvent(input: $i) { id } }`,
      {
        i: {
          uscc,
          polarity: "NEGATIVE",
          category: "PAYMENT",
          summary: "逾期",
          source: "批量",
          occurredOn: "2024-01-01",
        },
      },
      association.key,
    );
    await ok(
      t,
      `mutation ($i: RecordTradePerformanceInput!) { recordTradePerformance(input: $i) { id } }`,
      { i: { uscc, kind: "PAYMENT", onTimeRatio: 0.9, periodStart: "2024-01-01", periodEnd: "2024-06-30" } },
      body.key,
    );
  }
  await grant(t, association.key, { consumerOrganisationId: bank.id, classes: ["SHARED"] });
  await ok(
    t,
    `mutation ($i: GrantIndustryBodyAccessInput!) { grantIndustryBodyAccess(input: $i) { id } }`,
    { i: { consumerOrganisationId: bank.id, classes: ["SHARED"], purposes: ["LOAN_APPROVAL"] } },
    body.key,
  );
}, 300_000);

afterAll(async () => {
  await t?.close();
});

function query(n: number): string {
  const fields = usccs
    .slice(0, n)
    .map(
      (u, i) =>
        `e${i}: enterprise(uscc: "${u}") { name memberships { status } creditRecords { polarity category } tradingPartnerReports { id } tradeRecords { kind onTimeRatio } }`,
    );
  return `{ ${fields.join(" ")} }`;
}

async function statementsFor(n: number): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.values(t.hub.subgraphs).map((s) => [s.name, s.sqlStatements()]));
  const r = await t.query(query(n), {}, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
  expect(r.errors, JSON.stringify(r.errors?.slice(0, 2))).toBeUndefined();
  expect(Object.keys(r.data ?? {})).toHaveLength(n);
  return Object.fromEntries(
    Object.values(t.hub.subgraphs).map((s) => [s.name, s.sqlStatements() - (before[s.name] ?? 0)]),
  );
}

describe("SQL per request", () => {
  it("when a bank asks about 1, 10 and 100 enterprises, then each owner subgraph runs the same number of statements", async () => {
    await statementsFor(1); // warm-up: first-use queries (the query compiler, the caller's key) are not the point
    const one = await statementsFor(1);
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    for (const name of Object.keys(t.hub.subgraphs)) {
      expect({ name, ten: ten[name], hundred: hundred[name] }).toEqual({ name, ten: one[name], hundred: one[name] });
    }
  });
});
