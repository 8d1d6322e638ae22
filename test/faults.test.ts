import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUscc, startTestHub, type TestHub } from "./support/hub.ts";
import { captureLogs } from "./support/logs.ts";
import { ok } from "./support/scenes.ts";

/**
 * A data owner's subgraph that is down or hangs costs only its own fields:
 * the answer keeps every other owner's data, with one scrubbed error; the
 * gateway stays ready (it can still serve) while its subgraph health report,
 * on the operator's address, names the one that is down; a restarted subgraph
 * is used again without restarting the gateway.
 */

let t: TestHub;
let uscc: string;
/** The enterprise itself: it sees every row about it, whose existence is not public (a trade or bureau record's is SHARED). */
let asEnterprise: { apiKey: string };
beforeAll(async () => {
  process.env.SUBGRAPH_TIMEOUT_MS_BUREAUS = "400";
  // On disk, so a subgraph stopped and started again still has its data (PGlite); PostgreSQL keeps it anyway.
  t = await startTestHub({ dataDir: mkdtempSync(join(tmpdir(), "credit-hub-faults-")) });
  uscc = newUscc();
  const association = await t.organisation("ASSOCIATION");
  const body = await t.organisation("INDUSTRY_BODY");
  const bureau = await t.organisation("BUREAU");
  await ok(
    t,
    `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
    { i: { uscc, name: "故障测试企业" } },
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
    `mutation ($i: RecordTradePerformanceInput!) { recordTradePerformance(input: $i) { id } }`,
    { i: { uscc, kind: "PAYMENT", onTimeRatio: 0.95, periodStart: "2024-01-01", periodEnd: "2024-06-30" } },
    body.key,
  );
  await ok(
    t,
    `mutation ($i: RecordBureauEntryInput!) { recordBureauEntry(input: $i) { id } }`,
    {
      i: {
        uscc,
        polarity: "POSITIVE",
        category: "HONOUR",
        summary: "守合同重信用",
        source: "公示",
        occurredOn: "2023-01-01",
      },
    },
    bureau.key,
  );
  asEnterprise = { apiKey: (await t.organisation("ENTERPRISE", { uscc })).key };
}, 120_000);
afterAll(async () => {
  delete process.env.SUBGRAPH_TIMEOUT_MS_BUREAUS;
  await t?.close();
});

// Fields of four owners: the registry's name, and one row of each owner's list.
const SPANNING = /* GraphQL */ `
  query ($u: USCC!) {
    enterprise(uscc: $u) { name memberships { status } tradeRecords { enterprise { uscc } } bureauRecords { enterprise { uscc } } }
  }
`;
type Spanning = {
  enterprise: {
    name: string;
    memberships: { status: string }[] | null;
    tradeRecords: { enterprise: { uscc: string } }[] | null;
    bureauRecords: { enterprise: { uscc: string } }[] | null;
  };
};
const readiness = async () => {
  const r = await fetch(`${t.hub.operatorUrl}/readiness`);
  return { status: r.status, body: await r.json() };
};
const subgraphHealth = async () =>
  (await (await fetch(`${t.hub.operatorUrl}/health/subgraphs`)).json()) as {
    status: string;
    down: string[];
  };

describe("a data owner's subgraph fails", () => {
  it("when everything is up, then the answer spans four owners and the gateway is ready", async () => {
    const r = await t.query<Spanning>(SPANNING, { u: uscc }, asEnterprise);
    expect(r.errors).toBeUndefined();
    expect(r.data?.enterprise).toMatchObject({ name: "故障测试企业", memberships: [{ status: "ACTIVE" }] });
    expect(r.data?.enterprise.tradeRecords).toHaveLength(1);
    expect(r.data?.enterprise.bureauRecords).toHaveLength(1);
    expect(await readiness()).toEqual({ status: 200, body: { status: "ready" } });
    expect(await subgraphHealth()).toMatchObject({ status: "ok", down: [] });
  });

  it("when the industry subgraph is killed, then its field alone is null with one scrubbed error, the gateway stays ready while its health report names industry, and a restart recovers without touching the gateway", async () => {
    await t.hub.subgraphs.industry?.close();
    const logs = captureLogs();
    const r = await t.query<Spanning>(SPANNING, { u: uscc }, asEnterprise).finally(logs.restore);
    expect(logs.text()).not.toMatch(/127\.0\.0\.1|https?:\/\/|故障测试企业/);
    expect(r.data?.enterprise).toMatchObject({
      name: "故障测试企业",
      memberships: [{ status: "ACTIVE" }],
      tradeRecords: null,
    });
    expect(r.data?.enterprise.bureauRecords).toHaveLength(1);
    expect(r.errors).toEqual([
      {
        message: "A data owner's service did not answer; try again later.",
        path: ["enterprise", "tradeRecords"],
        extensions: { code: "SUBGRAPH_UNAVAILABLE" },
      },
    ]);
    // One owner down costs its fields, not the gateway: a load balancer must keep sending it traffic.
    expect(await readiness()).toEqual({ status: 200, body: { status: "ready" } });
    expect(await subgraphHealth()).toMatchObject({ status: "degraded", down: ["industry"] });

    await t.hub.restartSubgraph("industry");
    const again = await t.query<Spanning>(SPANNING, { u: uscc }, asEnterprise);
    expect(again.errors).toBeUndefined();
    expect(again.data?.enterprise.tradeRecords).toHaveLength(1);
    expect((await readiness()).status).toBe(200);
    expect(await subgraphHealth()).toMatchObject({ status: "ok", down: [] });
  });

  it("when the bureaus subgraph hangs, then its field times out alone and the rest answers in time", async () => {
    const bureaus = t.hub.subgraphs.bureaus;
    if (!bureaus) throw new Error("no bureaus subgraph");
    const port = Number(new URL(bureaus.url).port);
    await bureaus.close();
    // Takes the connection and never answers.
    const sockets: import("node:net").Socket[] = [];
    const blackHole: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(port, "127.0.0.1", resolve));
    const logs = captureLogs();
    try {
      const started = Date.now();
      const r = await t.query<Spanning>(SPANNING, { u: uscc }, asEnterprise).finally(logs.restore);
      expect(logs.text()).not.toMatch(/127\.0\.0\.1|https?:\/\/|故障测试企业/);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.status).toBe(200);
      expect(r.data?.enterprise).toMatchObject({ name: "故障测试企业", bureauRecords: null });
      expect(r.data?.enterprise.tradeRecords).toHaveLength(1);
      expect(r.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([
        ["enterprise.bureauRecords", "SUBGRAPH_UNAVAILABLE"],
      ]);
    } finally {
      logs.restore();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    }
    await t.hub.restartSubgraph("bureaus");
    const recovered = await t.query<Spanning>(SPANNING, { u: uscc }, asEnterprise);
    expect(recovered.data?.enterprise.bureauRecords).toHaveLength(1);
  });
});
