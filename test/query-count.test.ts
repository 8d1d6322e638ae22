import { beforeAll, describe, expect, it } from "vitest";
import { STANDING_FIELDS } from "../bench/scenarios.ts";
import type { GraphQLResponse } from "../hub/client.ts";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { giveConsent, grant, ok } from "./support/scenes.ts";

/**
 * No N+1: the SQL each owner subgraph runs for a query about N enterprises is
 * the same for N = 1, 10 and 100 (one batch per field, not one query per enterprise).
 */

let t: TestHub;
let bank: { id: string; key: string };
const usccs: string[] = [];

beforeAll(async () => {
  // Time stands still here: the gateway keeps the registry's answer about the bank's key for a few seconds
  // (REGISTRY_CACHE_SECONDS), and on a slow machine a real clock let it lapse between two measured requests,
  // adding the registry's look-up to one count and not the others.
  const still = new Date();
  t = await sharedTestHub({ now: () => still });
  const association = await t.organisation("ASSOCIATION");
  const body = await t.organisation("INDUSTRY_BODY");
  const bureau = await t.organisation("BUREAU");
  bank = await t.organisation("FINANCIAL");
  for (let i = 0; i < 100; i++) usccs.push(newUscc());
  // Twenty enterprises per request, each owner's mutations aliased in one document (run in order): the set-up is
  // not what is measured, and one request per mutation made it most of this file's time.
  for (let from = 0; from < 100; from += 20) {
    const batch = usccs.slice(from, from + 20).map((uscc, j) => ({ uscc, i: from + j }));
    await ok(
      t,
      `mutation {
        ${batch.map(({ uscc, i }) => `r${i}: registerEnterprise(input: { uscc: "${uscc}", name: "批量企业 ${i}" }) { uscc }`).join("\n")}
        ${batch.map(({ uscc, i }) => `a${i}: admitMember(input: { uscc: "${uscc}", joinedOn: "2020-01-01" }) { id }`).join("\n")}
        ${batch
          .map(
            ({ uscc, i }) =>
              `c${i}: recordCreditEvent(input: { uscc: "${uscc}", polarity: NEGATIVE, category: PAYMENT, summary: "逾期", source: "批量", occurredOn: "2024-01-01" }) { id }`,
          )
          .join("\n")}
      }`,
      {},
      association.key,
    );
    await ok(
      t,
      `mutation { ${batch
        .map(
          ({ uscc, i }) =>
            `t${i}: recordTradePerformance(input: { uscc: "${uscc}", kind: PAYMENT, onTimeRatio: 0.9, periodStart: "2024-01-01", periodEnd: "2024-06-30" }) { id }`,
        )
        .join("\n")} }`,
      {},
      body.key,
    );
    await ok(
      t,
      `mutation { ${batch
        .map(
          ({ uscc, i }) =>
            `b${i}: recordBureauEntry(input: { uscc: "${uscc}", polarity: NEGATIVE, category: "JUDGMENT", summary: "败诉", source: "批量", occurredOn: "2024-01-01" }) { id }`,
        )
        .join("\n")} }`,
      {},
      bureau.key,
    );
  }
  // The first ten consent, the rest do not: a list of 100 mixes released and withheld parts.
  for (const uscc of usccs.slice(0, 10))
    await giveConsent(t, (await t.organisation("ENTERPRISE", { uscc })).key, bank.id);
  await grant(t, association.key, { consumerOrganisationId: bank.id, classes: ["SHARED", "CONSENT"] });
  const grantInput = { consumerOrganisationId: bank.id, classes: ["SHARED", "CONSENT"], purposes: ["LOAN_APPROVAL"] };
  await ok(
    t,
    `mutation ($i: GrantIndustryBodyAccessInput!) { grantIndustryBodyAccess(input: $i) { id } }`,
    { i: grantInput },
    body.key,
  );
  await ok(
    t,
    `mutation ($i: GrantBureauAccessInput!) { grantBureauAccess(input: $i) { id } }`,
    { i: grantInput },
    bureau.key,
  );
}, 300_000);

function query(n: number): string {
  const fields = usccs
    .slice(0, n)
    .map(
      (u, i) =>
        `e${i}: enterprise(uscc: "${u}") { name memberships { status } creditRecords { polarity category } tradingPartnerReports { id } tradeRecords { kind onTimeRatio } }`,
    );
  return `{ ${fields.join(" ")} }`;
}

// The standing fields the benchmark asks for: what is counted here is what is timed there.
const STANDINGS = /* GraphQL */ `
  query ($u: [USCC!]!) {
    standings(usccs: $u, purpose: LOAN_APPROVAL) { ${STANDING_FIELDS} }
  }
`;

/** The statements each subgraph ran for one request; `check` looks at the answer first. */
async function statementsFor(
  n: number,
  document: (n: number) => [string, Record<string, unknown>],
  check: (r: GraphQLResponse) => void,
): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.values(t.hub.subgraphs).map((s) => [s.name, s.sqlStatements()]));
  const [doc, variables] = document(n);
  check(await t.query(doc, variables, { apiKey: bank.key, purpose: "LOAN_APPROVAL" }));
  return Object.fromEntries(
    Object.values(t.hub.subgraphs).map((s) => [s.name, s.sqlStatements() - (before[s.name] ?? 0)]),
  );
}

/** Each subgraph's statements for N = 1, 10 and 100, after a warm-up (first-use queries, such as the caller's key, are not the point). */
async function perSubgraph(
  document: (n: number) => [string, Record<string, unknown>],
  check: (r: GraphQLResponse, n: number) => void,
) {
  await statementsFor(1, document, (r) => check(r, 1));
  const counts: Record<string, number>[] = [];
  for (const n of [1, 10, 100]) counts.push(await statementsFor(n, document, (r) => check(r, n)));
  return counts;
}

function expectFlat([one, ten, hundred]: Record<string, number>[]) {
  for (const name of Object.keys(t.hub.subgraphs)) {
    expect({ name, ten: ten?.[name], hundred: hundred?.[name] }).toEqual({
      name,
      ten: one?.[name],
      hundred: one?.[name],
    });
  }
}

describe("SQL per request", () => {
  it("when a bank asks about 1, 10 and 100 enterprises, then each owner subgraph runs the same number of statements", async () => {
    expectFlat(
      await perSubgraph(
        (n) => [query(n), {}],
        (r, n) => {
          expect(r.errors, JSON.stringify(r.errors?.slice(0, 2))).toBeUndefined();
          expect(Object.keys(r.data ?? {})).toHaveLength(n);
        },
      ),
    );
  });

  it("when a bank checks the standings of 1, 10 and 100 enterprises, then every subgraph runs the same number of statements", async () => {
    const counts = await perSubgraph(
      (n) => [STANDINGS, { u: usccs.slice(0, n) }],
      (r, n) => {
        const standings = (r.data as { standings: { goodStanding: boolean | null }[] } | null)?.standings ?? [];
        expect(standings).toHaveLength(n);
        // Consenting enterprises get a verdict; for the others the consent-only parts are FORBIDDEN, never an internal error.
        expect(standings.slice(0, 10).every((s) => s.goodStanding === false)).toBe(true);
        expect(new Set(r.errors?.map((e) => e.extensions?.code)), JSON.stringify(r.errors?.slice(0, 2))).toEqual(
          n > 10 ? new Set(["FORBIDDEN"]) : new Set(),
        );
      },
    );
    expectFlat(counts);
    // Every owner subgraph did work (a subgraph the plan skipped would pass trivially).
    for (const name of Object.keys(t.hub.subgraphs)) expect(counts[2]?.[name], name).toBeGreaterThan(0);
  });
});
