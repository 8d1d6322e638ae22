import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, mustGraphql } from "../hub/client.ts";
import { newUscc } from "./support/hub.ts";
import { associationRegisters, type ProductionProcesses, startProductionProcesses } from "./support/processes.ts";

/**
 * The production layout: every subgraph its own process on its own database
 * (PostgreSQL in CI's second pass, a PGlite folder each otherwise), the gateway
 * another, configured by environment only — started the way an operator would
 * (`npm run start:subgraph -- <name>`, `npm run start:gateway`).
 */

let cluster: ProductionProcesses | undefined;
let gatewayUrl = "";
let operatorKey = "";
let gatewayOperatorUrl = "";

beforeAll(async () => {
  cluster = await startProductionProcesses({
    name: "processes",
    env: { LOG_LEVEL: "error" },
    // The registry is ready once it has also made the operator's key (its first start).
    registryReady: /x-api-key: chk_\S+\n/,
  });
  gatewayUrl = cluster.gatewayUrl;
  const [registry] = cluster.processes;
  operatorKey = /x-api-key: (chk_\S+)/.exec(registry?.output() ?? "")?.[1] ?? "";
  gatewayOperatorUrl = /operator at (http\S+)/.exec(cluster.processes.at(-1)?.output() ?? "")?.[1] ?? "";
}, 180_000);

afterAll(async () => {
  await cluster?.close();
});

describe("separate processes", () => {
  it("when each subgraph and the gateway run as their own processes, then a query spans them and each stops cleanly", async () => {
    expect(operatorKey).toMatch(/^chk_/);
    const uscc = newUscc();
    const association = await associationRegisters(gatewayUrl, operatorKey, {
      association: "进程测试协会",
      enterprise: "多进程企业",
      uscc,
    });
    await mustGraphql(
      gatewayUrl,
      `mutation ($u: USCC!) { admitMember(input: { uscc: $u, joinedOn: "2021-01-01" }) { id } }`,
      { u: uscc },
      { apiKey: association.key },
    );
    const r = await graphql<{
      enterprise: {
        name: string;
        memberships: { association: { name: string } }[];
        bureauRecords: unknown[];
        tradeRecords: unknown[];
      };
    }>(
      gatewayUrl,
      `query ($u: USCC!) { enterprise(uscc: $u) { name memberships { association { name } } bureauRecords { id } tradeRecords { id } } }`,
      { u: uscc },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.enterprise).toEqual({
      name: "多进程企业",
      memberships: [{ association: { name: "进程测试协会" } }],
      bureauRecords: [],
      tradeRecords: [],
    });
    const ready = await fetch(`${gatewayOperatorUrl}/readiness`);
    expect(ready.status).toBe(200);
    expect(await (await fetch(`${gatewayOperatorUrl}/health/subgraphs`)).json()).toMatchObject({ down: [] });

    for (const p of [...(cluster?.processes ?? [])].reverse())
      expect({ name: p.name, code: await p.stop() }).toEqual({ name: p.name, code: 0 });
  }, 60_000);
});
