import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, mustGraphql } from "../hub/client.ts";
import type { Spawned } from "../hub/spawn.ts";
import { associationsDb, newUscc, startTestHub, type TestHub } from "./support/hub.ts";
import { associationRegisters, type ProductionProcesses, startProductionProcesses } from "./support/processes.ts";
import { bankWithGrant, memberWithRecord } from "./support/scenes.ts";

/**
 * What the operator reaches and the public does not, and what the hub writes
 * about itself: metrics, readiness and subgraph health only on the operator's
 * address; a gateway that stays ready while one owner is down; request ids a
 * client cannot fill with its own text; slow clients cut off. Then the
 * production layout — every subgraph its own process on its own database
 * (PostgreSQL in CI's second pass, a PGlite folder each otherwise), the
 * gateway another, configured by environment only, started the way an operator
 * would (`npm run start:subgraph -- <name>`, `npm run start:gateway`): a query
 * spans them; under an overload at LOG_LEVEL=debug the logs stay small, carry
 * no credit data, bodies or URLs, and count a repeated failure instead of
 * repeating it; and each process stops cleanly.
 */

describe("operator endpoints and slow clients (one-process hub)", () => {
  let t: TestHub;
  beforeAll(async () => {
    // Small limits, so a trickling client is cut off within the test.
    process.env.HTTP_HEADERS_TIMEOUT_MS = "800";
    process.env.HTTP_REQUEST_TIMEOUT_MS = "1200";
    t = await startTestHub();
  }, 120_000);
  afterAll(async () => {
    delete process.env.HTTP_HEADERS_TIMEOUT_MS;
    delete process.env.HTTP_REQUEST_TIMEOUT_MS;
    await t?.close();
  });

  it("when anyone asks the public port for /metrics, /readiness or subgraph health, then 404; the operator's address answers them", async () => {
    const base = t.url.replace(/\/graphql$/, "");
    for (const path of ["/metrics", "/readiness", "/health/subgraphs"])
      expect({ path, status: (await fetch(`${base}${path}`)).status }).toEqual({ path, status: 404 });
    // A subgraph's own port no longer serves them either.
    const registry = t.hub.subgraphs.registry?.url.replace(/\/graphql$/, "") ?? "";
    for (const path of ["/metrics", "/readiness"])
      expect({ path, status: (await fetch(`${registry}${path}`)).status }).toEqual({ path, status: 404 });

    const operator = t.hub.operatorUrl;
    expect(new URL(operator).hostname).toBe("127.0.0.1");
    expect(await (await fetch(`${operator}/metrics`)).text()).toMatch(/^credit_hub_gateway_http_requests_total/m);
    expect((await fetch(`${operator}/readiness`)).status).toBe(200);
    expect(await (await fetch(`${operator}/subgraphs/registry/metrics`)).text()).toMatch(
      /^credit_hub_subgraph_http_requests_total/m,
    );
    expect((await fetch(`${operator}/subgraphs/associations/readiness`)).status).toBe(200);
    // Liveness stays on the public port, for whatever restarts the process.
    expect((await fetch(`${base}/healthcheck`)).status).toBe(200);
  });

  it("when one subgraph is down, then the gateway is still ready and the subgraph health report names that one", async () => {
    await t.hub.subgraphs.industry?.close();
    try {
      const ready = await fetch(`${t.hub.operatorUrl}/readiness`);
      expect(ready.status).toBe(200);
      const health = (await (await fetch(`${t.hub.operatorUrl}/health/subgraphs`)).json()) as {
        subgraphs: Record<string, string>;
        down: string[];
      };
      expect(health.down).toEqual(["industry"]);
      expect(health.subgraphs).toMatchObject({ registry: "up", associations: "up", industry: "down", bureaus: "up" });
      expect(JSON.stringify(health)).not.toMatch(/http|127\.0\.0\.1/);
    } finally {
      await t.hub.restartSubgraph("industry");
    }
  });

  it("when a client sends an x-request-id that is not a UUID, then the hub gives the request its own, in the answer and the owner's audit log", async () => {
    const member = await memberWithRecord(t);
    const bank = await bankWithGrant(t, member.association.key, ["SHARED"]);
    // Passed before: a plain token of 8–128 characters — here carrying the enterprise's code into every audit entry.
    const chosen = `lookup:${member.uscc}`;
    const response = await fetch(t.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": bank.key,
        "x-purpose": "LOAN_APPROVAL",
        "x-request-id": chosen,
      },
      body: JSON.stringify({
        query: `query ($u: USCC!) { enterprise(uscc: $u) { name creditRecords { polarity } } }`,
        variables: { u: member.uscc },
      }),
    });
    expect((await response.json()).errors).toBeUndefined();
    const id = response.headers.get("x-request-id") ?? "";
    expect(id).not.toBe(chosen);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await associationsDb(t).auditEntry.count({ where: { requestId: chosen } })).toBe(0);
    expect(await associationsDb(t).auditEntry.count({ where: { requestId: id } })).toBeGreaterThan(0);

    // A UUID the client chose is kept, so it can still find its own request.
    const own = randomUUID();
    const again = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": own },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(again.headers.get("x-request-id")).toBe(own);
  });

  /** Sends the headers at once, then the body a byte at a time; resolves with how long the server kept the socket. */
  async function trickle(url: string): Promise<{ closedAfterMs: number | null; answer: string }> {
    const { hostname, port } = new URL(url);
    const socket: Socket = connect(Number(port), hostname);
    let answer = "";
    let closed = false;
    socket.on("data", (d) => {
      answer += d;
    });
    socket.on("close", () => {
      closed = true;
    });
    socket.on("error", () => {
      closed = true;
    });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const started = Date.now();
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n`,
    );
    // Bounded: at most 8 s of trickling, far past the limits set above, far short of Node's defaults (300 s).
    for (let i = 0; i < 80 && !closed; i++) {
      socket.write("{");
      await new Promise((r) => setTimeout(r, 100));
    }
    const closedAfterMs = closed ? Date.now() - started : null;
    socket.destroy();
    return { closedAfterMs, answer };
  }

  it("when a client trickles its body, then the gateway and the subgraphs cut it off after the request time limit", async () => {
    const gateway = await trickle(t.url);
    expect(gateway.closedAfterMs).not.toBeNull();
    expect(gateway.closedAfterMs).toBeLessThan(4000);
    expect(gateway.answer).toMatch(/^HTTP\/1\.1 408/);
    const subgraph = await trickle(t.hub.subgraphs.associations?.url ?? "");
    expect(subgraph.closedAfterMs).not.toBeNull();
    expect(subgraph.closedAfterMs).toBeLessThan(4000);
  }, 30_000);
});

describe("production processes: a query across them, an overload logged at debug, a clean stop", () => {
  let cluster: ProductionProcesses | undefined;
  const processes: Spawned[] = [];
  let dataDir = "";
  let gatewayUrl = "";
  const sockets: Socket[] = [];
  let blackHole: Server | undefined;

  beforeAll(async () => {
    cluster = await startProductionProcesses({
      name: "operations",
      env: {
        NODE_ENV: "production",
        LOG_LEVEL: "debug",
        LOG_REPEAT_WINDOW_SECONDS: "1",
        SUBGRAPH_TIMEOUT_MS_BUREAUS: "300",
        RATE_LIMIT_PER_MINUTE: "100000",
      },
      registryReady: /API key is in \S+/,
    });
    processes.push(...cluster.processes);
    dataDir = cluster.dataDir;
    gatewayUrl = cluster.gatewayUrl;
  }, 240_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => (blackHole ? blackHole.close(resolve) : resolve(undefined)));
    await cluster?.close();
  });

  it("when production starts, then no API key is printed: the operator's is in a file only its user reads", () => {
    const file = join(dataDir, "keys", "operator-api-key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, "utf8").trim();
    expect(key).toMatch(/^chk_/);
    for (const p of processes)
      expect({ name: p.name, printed: p.output().includes("chk_") }).toMatchObject({ printed: false });
  });

  it("when a browser opens /graphql in production without GRAPHIQL=1, then no GraphiQL", async () => {
    const response = await fetch(gatewayUrl, { headers: { accept: "text/html" } });
    expect(await response.text()).not.toMatch(/<html|graphiql/i);
  });

  it("when each subgraph and the gateway run as their own processes, then a query spans them", async () => {
    const operatorKey = readFileSync(join(dataDir, "keys", "operator-api-key"), "utf8").trim();
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
    const ACROSS = `query ($u: USCC!) { enterprise(uscc: $u) { name memberships { association { name } } bureauRecords { id } tradeRecords { id } } }`;
    // Once before the answer counted: a subgraph's first read prepares its statements, which on a loaded machine
    // can outlast the 300 ms this cluster gives the bureaus (short, for the overload below).
    await graphql(gatewayUrl, ACROSS, { u: uscc });
    const r = await graphql<{
      enterprise: {
        name: string;
        memberships: { association: { name: string } }[];
        bureauRecords: unknown[];
        tradeRecords: unknown[];
      };
    }>(gatewayUrl, ACROSS, { u: uscc });
    expect(r.errors).toBeUndefined();
    expect(r.data?.enterprise).toEqual({
      name: "多进程企业",
      memberships: [{ association: { name: "进程测试协会" } }],
      bureauRecords: [],
      tradeRecords: [],
    });
    const gatewayOperatorUrl = /operator at (http\S+)/.exec(processes.at(-1)?.output() ?? "")?.[1] ?? "";
    expect((await fetch(`${gatewayOperatorUrl}/readiness`)).status).toBe(200);
    expect(await (await fetch(`${gatewayOperatorUrl}/health/subgraphs`)).json()).toMatchObject({ down: [] });
  }, 60_000);

  it("when a subgraph is down and another hangs under ~200 requests naming enterprises, then the logs stay small, carry no USCC, body or URL, and count the repeats", async () => {
    const operatorKey = readFileSync(join(dataDir, "keys", "operator-api-key"), "utf8").trim();
    const registered = newUscc();
    const { key } = await associationRegisters(gatewayUrl, operatorKey, {
      association: "日志测试协会",
      enterprise: "日志测试企业",
      uscc: registered,
    });

    // Industry stopped (connection refused); bureaus replaced by a port that takes connections and never answers.
    // Each stops cleanly, as the rest do at the end.
    const stop = async (name: string) => ({ name, code: await processes.find((q) => q.name === name)?.stop() });
    expect(await stop("industry")).toEqual({ name: "industry", code: 0 });
    expect(await stop("bureaus")).toEqual({ name: "bureaus", code: 0 });
    blackHole = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole?.listen(cluster?.ports.bureaus, "127.0.0.1", resolve));

    const marks = processes.map((p) => p.output().length);
    const usccs = [registered, ...Array.from({ length: 49 }, () => newUscc())];
    const QUERY = `query ($u: USCC!) { enterprise(uscc: $u) { name tradeRecords { id } bureauRecords { id } } }`;
    const statuses: number[] = [];
    for (let batch = 0; batch < 8; batch++)
      await Promise.all(
        Array.from({ length: 25 }, async (_, i) => {
          // Mostly the registered enterprise (its owners' fields are asked of the failing subgraphs), some unknown.
          const u = i % 5 === 0 ? (usccs[1 + ((batch * 5 + i / 5) % (usccs.length - 1))] as string) : registered;
          const r = await graphql(gatewayUrl, QUERY, { u }, { apiKey: key });
          statuses.push(r.status);
        }),
      );
    expect(statuses).toHaveLength(200);
    // The last window's summaries.
    await new Promise((r) => setTimeout(r, 1600));

    const logged = processes.map((p, i) => p.output().slice(marks[i])).join("");
    expect(Buffer.byteLength(logged)).toBeLessThan(1024 * 1024);
    for (const u of usccs) expect(logged).not.toContain(u);
    expect(logged).not.toMatch(/https?:\/\//);
    expect(logged).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(logged).not.toMatch(/"query"|representations|_entities|variables/);
    expect(logged).not.toMatch(/chk_|eyJ/);
    const lines = logged
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: string; msg: string; repeated?: number; subgraph?: string });
    // The failures to reach a subgraph: written once a window, then counted.
    const summaries = lines.filter((l) => l.level === "error" && (l.repeated ?? 0) > 0);
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.reduce((n, l) => n + (l.repeated ?? 0), 0)).toBeGreaterThan(100);
    expect(summaries[0]?.msg).toMatch(/\d+ more like this/);
    console.info(`logged during the overload: ${Buffer.byteLength(logged)} bytes, ${lines.length} lines`);
  }, 120_000);

  it("when the gateway and the remaining subgraphs are stopped, then each exits 0", async () => {
    for (const p of [...processes].reverse().filter((p) => p.running()))
      expect({ name: p.name, code: await p.stop() }).toEqual({ name: p.name, code: 0 });
  }, 60_000);
});
