import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { associationsDb, newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { bankWithGrant, memberWithRecord } from "./support/scenes.ts";

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

describe("the gateway's own pages", () => {
  it("when a browser opens /graphql, then GraphiQL is served whole from the hub, loading nothing from elsewhere", async () => {
    const response = await fetch(t.url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/graphiql/i);
    // No script, style or font from another host: the page must work air-gapped.
    expect(html.match(/(?:src|href)=["']https?:\/\/[^"']+/g) ?? []).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
  });

  it("when asked for /healthcheck and /readiness, then both answer 200 once the hub is up (readiness on the operator's address)", async () => {
    const base = t.url.replace(/\/graphql$/, "");
    expect((await fetch(`${base}/healthcheck`)).status).toBe(200);
    expect((await fetch(`${t.hub.operatorUrl}/readiness`)).status).toBe(200);
  });
});

describe("metrics", () => {
  it("when requests have been answered, then the gateway and each subgraph show them at /metrics for Prometheus", async () => {
    await t.query(`{ __typename }`);
    // A code no enterprise has: the registry answers NOT_FOUND.
    await t.query(`query ($u: USCC!) { enterprise(uscc: $u) { name } }`, { u: newUscc() });
    const gateway = await (await fetch(`${t.hub.operatorUrl}/metrics`)).text();
    expect(gateway).toMatch(/^credit_hub_gateway_http_requests_total\{route="\/graphql",status="2xx"\} \d+$/m);
    expect(gateway).toMatch(/^credit_hub_gateway_graphql_errors_total\{code="NOT_FOUND"\} [1-9]\d*$/m);
    expect(gateway).toMatch(/^credit_hub_gateway_http_request_duration_seconds_count\{route="\/graphql"\} \d+$/m);
    expect(gateway).toMatch(/^credit_hub_gateway_process_resident_memory_bytes \d+$/m);
    const registry = `${t.hub.operatorUrl}/subgraphs/registry/metrics`;
    const registryMetrics = await (await fetch(registry)).text();
    expect(registryMetrics).toMatch(
      /^credit_hub_subgraph_http_requests_total\{route="\/graphql",status="2xx"\} [1-9]\d*$/m,
    );
    expect(registryMetrics).toMatch(/^credit_hub_subgraph_sql_statements_total [1-9]\d*$/m);
  });
});

describe("one request id from client to audit log", () => {
  const READ = /* GraphQL */ `
    query ($u: USCC!) {
      enterprise(uscc: $u) { name creditRecords { polarity } }
    }
  `;
  const read = (key: string, uscc: string, requestId: string) =>
    fetch(t.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": key,
        "x-purpose": "LOAN_APPROVAL",
        "x-request-id": requestId,
      },
      body: JSON.stringify({ query: READ, variables: { u: uscc } }),
    });

  it("when a client names its request, then the answer and the owner's audit entry carry that same id", async () => {
    const member = await memberWithRecord(t);
    const bank = await bankWithGrant(t, member.association.key, ["SHARED"]);
    const id = randomUUID();
    const response = await read(bank.key, member.uscc, id);
    expect((await response.json()).errors).toBeUndefined();
    expect(response.headers.get("x-request-id")).toBe(id);
    const entries = await associationsDb(t).auditEntry.findMany({ where: { requestId: id } });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.uscc === member.uscc)).toBe(true);
  });

  it("when a client sends an id that could forge log lines, then the hub gives the request its own instead", async () => {
    const member = await memberWithRecord(t);
    const bank = await bankWithGrant(t, member.association.key, ["SHARED"]);
    const response = await read(bank.key, member.uscc, 'x" injected=1');
    const id = response.headers.get("x-request-id") ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await associationsDb(t).auditEntry.count({ where: { requestId: id } })).toBeGreaterThan(0);
  });

  it("when the edge itself refuses a request, then the refusal carries an id too", async () => {
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "0b7e6f0e-5d1c-4c4e-9a57-000000000001" },
      body: JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBe("0b7e6f0e-5d1c-4c4e-9a57-000000000001");
  });
});
