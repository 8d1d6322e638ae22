import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateSigningKeys } from "../gateway/keys.ts";
import { graphql, mustGraphql } from "../hub/client.ts";
import { SUBGRAPHS } from "../hub/subgraphs.ts";
import { freePort, newUscc, testDatabases } from "./support/hub.ts";

/**
 * The production layout: every subgraph its own process on its own database
 * (PostgreSQL in CI's second pass, a PGlite folder each otherwise), the gateway
 * another, configured by environment only — started the way an operator would
 * (`npm run start:subgraph -- <name>`, `npm run start:gateway`).
 */

const processes: { name: string; child: ChildProcess; output: () => string }[] = [];
let dropDatabases: () => Promise<void> = async () => {};
let gatewayUrl = "";
let operatorKey = "";
let gatewayOperatorUrl = "";

async function start(name: string, script: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn(process.execPath, ["--import", "tsx", ...script], {
    env: { ...process.env, ...env, LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  processes.push({ name, child, output: () => output });
  for (let i = 0; i < 600 && !ready.test(output); i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready.test(output)) throw new Error(`${name} did not start: ${output}`);
  return output;
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "credit-hub-processes-"));
  await loadOrCreateSigningKeys(join(dataDir, "keys")); // `npm run keys`
  const names = SUBGRAPHS.map((s) => s.name);
  const { databases, drop } = await testDatabases(names);
  dropDatabases = drop;
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  // Each process's operator address on a free port of its own (printed at start).
  const shared: Record<string, string> = { DATA_DIR: dataDir, OPERATOR_PORT: "0" };
  for (const n of names) {
    shared[`SUBGRAPH_URL_${n.toUpperCase()}`] = `http://127.0.0.1:${ports[n]}/graphql`;
    const db = databases[n];
    if (db?.kind === "postgres") shared[`DATABASE_URL_${n.toUpperCase()}`] = db.url;
  }
  // In start order: the bureaus trust the associations' key, which the associations write on their first start.
  for (const n of names) {
    // The registry is ready once it has also made the operator's key (its first start).
    const ready = n === "registry" ? /x-api-key: chk_\S+\n/ : /subgraph at http/;
    const out = await start(n, ["hub/subgraph-main.ts", n], { ...shared, PORT: String(ports[n]) }, ready);
    if (n === "registry") operatorKey = /x-api-key: (chk_\S+)/.exec(out)?.[1] ?? "";
  }
  const gatewayPort = await freePort();
  const out = await start(
    "gateway",
    ["hub/gateway-main.ts"],
    { ...shared, PORT: String(gatewayPort) },
    /operator at http\S+\n/,
  );
  gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  gatewayOperatorUrl = /operator at (http\S+)/.exec(out)?.[1] ?? "";
}, 180_000);

afterAll(async () => {
  for (const p of processes.reverse()) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await dropDatabases();
});

describe("separate processes", () => {
  it("when each subgraph and the gateway run as their own processes, then a query spans them and each stops cleanly", async () => {
    expect(operatorKey).toMatch(/^chk_/);
    const { createOrganisation } = await mustGraphql<{ createOrganisation: { id: string } }>(
      gatewayUrl,
      `mutation { createOrganisation(input: { name: "进程测试协会", type: ASSOCIATION }) { id } }`,
      {},
      { apiKey: operatorKey },
    );
    const { issueApiKey } = await mustGraphql<{ issueApiKey: { key: string } }>(
      gatewayUrl,
      `mutation ($o: ID!) { issueApiKey(input: { organisationId: $o, label: "t", roles: [STAFF] }) { key } }`,
      { o: createOrganisation.id },
      { apiKey: operatorKey },
    );
    const uscc = newUscc();
    await mustGraphql(
      gatewayUrl,
      `mutation ($u: USCC!) { registerEnterprise(input: { uscc: $u, name: "多进程企业" }) { uscc } }`,
      { u: uscc },
      { apiKey: issueApiKey.key },
    );
    await mustGraphql(
      gatewayUrl,
      `mutation ($u: USCC!) { admitMember(input: { uscc: $u, joinedOn: "2021-01-01" }) { id } }`,
      { u: uscc },
      { apiKey: issueApiKey.key },
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

    for (const p of [...processes].reverse()) {
      const exited = new Promise<number | null>((resolve) => p.child.once("exit", (code) => resolve(code)));
      p.child.kill("SIGTERM");
      expect({ name: p.name, code: await exited }).toEqual({ name: p.name, code: 0 });
    }
  }, 60_000);
});
