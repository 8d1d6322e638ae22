import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { giveConsent, ok } from "./support/scenes.ts";

/** A bureau's own records, and its query log: what the enterprise sees as the "query records" of its credit report. */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

async function bureauScene() {
  const bureau = await t.organisation("BUREAU");
  const uscc = newUscc();
  const enterprise = await t.organisation("ENTERPRISE", { uscc });
  await ok(
    t,
    `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
    { i: { uscc, name: "征信测试企业" } },
    bureau.key,
  );
  await ok(
    t,
    `mutation ($i: RecordBureauEntryInput!) { recordBureauEntry(input: $i) { id } }`,
    {
      i: {
        uscc,
        polarity: "NEGATIVE",
        category: "JUDGMENT",
        summary: "合同纠纷败诉，判决已履行",
        source: "裁判文书",
        occurredOn: "2023-05-05",
      },
    },
    bureau.key,
  );
  await ok(
    t,
    `mutation ($i: GrantBureauAccessInput!) { grantBureauAccess(input: $i) { id } }`,
    {
      i: {
        consumerType: "FINANCIAL",
        classes: ["SHARED", "CONSENT"],
        purposes: ["LOAN_APPROVAL", "POST_LOAN_MONITORING"],
      },
    },
    bureau.key,
  );
  return { bureau, uscc, enterprise };
}

const READ = /* GraphQL */ `query ($u: USCC!) { enterprise(uscc: $u) { bureauRecords { category summary owner { id } } } }`;
const LOG = /* GraphQL */ `
  query ($u: USCC!) { enterprise(uscc: $u) { bureausAccessHistory { events { caller { id } purpose queryKind decision } } } }
`;

describe("a bureau's records and query log", () => {
  it("when banks query for a loan and for monitoring, then the enterprise's query records tell application from monitoring", async () => {
    const s = await bureauScene();
    const lender = await t.organisation("FINANCIAL");
    const servicer = await t.organisation("FINANCIAL");
    await giveConsent(t, s.enterprise.key, lender.id, "LOAN_APPROVAL");
    const loan = await t.query(READ, { u: s.uscc }, { apiKey: lender.key, purpose: "LOAN_APPROVAL" });
    expect(loan.data).toEqual({
      enterprise: {
        bureauRecords: [{ category: "JUDGMENT", summary: "合同纠纷败诉，判决已履行", owner: { id: s.bureau.id } }],
      },
    });
    const watch = await t.query(READ, { u: s.uscc }, { apiKey: servicer.key, purpose: "POST_LOAN_MONITORING" });
    expect(watch.errors?.map((e) => e.path?.join("."))).toEqual(["enterprise.bureauRecords.0.summary"]);

    const log = await ok<{ enterprise: { bureausAccessHistory: { events: Record<string, unknown>[] } } }>(
      t,
      LOG,
      { u: s.uscc },
      s.enterprise.key,
    );
    const byCaller = (id: string) =>
      log.enterprise.bureausAccessHistory.events.filter((e) => (e.caller as { id: string }).id === id);
    expect(byCaller(lender.id)).toEqual([
      { caller: { id: lender.id }, purpose: "LOAN_APPROVAL", queryKind: "APPLICATION", decision: "RELEASED" },
    ]);
    expect(
      byCaller(servicer.id)
        .map((e) => [e.queryKind, e.decision])
        .sort(),
    ).toEqual([
      ["MONITORING", "DENIED"],
      ["MONITORING", "RELEASED"],
    ]);
  });

  it("when the bureau asks for its own query log about the enterprise, then it sees it; another bureau does not", async () => {
    const s = await bureauScene();
    const bank = await t.organisation("FINANCIAL");
    await t.query(READ, { u: s.uscc }, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
    const own = await ok<{ enterprise: { bureausAccessHistory: { events: unknown[] } } }>(
      t,
      LOG,
      { u: s.uscc },
      s.bureau.key,
    );
    expect(own.enterprise.bureausAccessHistory.events.length).toBeGreaterThan(0);
    const other = await t.organisation("BUREAU");
    const theirs = await ok<{ enterprise: { bureausAccessHistory: { events: unknown[] } } }>(
      t,
      LOG,
      { u: s.uscc },
      other.key,
    );
    expect(theirs.enterprise.bureausAccessHistory.events).toEqual([]);
  });

  it("when a bank tries to write a bureau record, then it is FORBIDDEN", async () => {
    const bank = await t.organisation("FINANCIAL");
    const r = await t.query(
      `mutation ($i: RecordBureauEntryInput!) { recordBureauEntry(input: $i) { id } }`,
      {
        i: {
          uscc: newUscc(),
          polarity: "POSITIVE",
          category: "HONOUR",
          summary: "x",
          source: "y",
          occurredOn: "2024-01-01",
        },
      },
      { apiKey: bank.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
