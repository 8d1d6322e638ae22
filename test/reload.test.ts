import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plastics } from "../examples/partner-association/schema/index.ts";
import { loadOrCreateSigningKeys } from "../gateway/keys.ts";
import { composeSupergraph } from "../hub/compose.ts";
import { loadSupergraphConfig, SUPERGRAPH_CONFIG_FILE } from "../hub/supergraph-config.ts";
import { importHubPublicKey } from "../protocol/hub-token.ts";
import { type RunningOwnerSubgraph, runSubgraph } from "../subgraphs/sdk/subgraph.ts";
import { newUscc, startTestHub, type TestHub, testDatabases } from "./support/hub.ts";
import { captureLogs } from "./support/logs.ts";

/**
 * The gateway picks up a recomposed supergraph without a restart — a partner
 * added to the supergraph config is served on the next poll — and keeps the
 * one it has when the new config does not compose.
 */

const EXAMPLE_SDL = fileURLToPath(new URL("../examples/partner-association/schema.graphql", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "credit-hub-reload-"));
const configFile = join(dir, "supergraph.config.json");
const base = JSON.parse(readFileSync(SUPERGRAPH_CONFIG_FILE, "utf8")) as { subgraphs: object[] };
const writeConfig = (extra: object[]) =>
  writeFileSync(configFile, JSON.stringify({ subgraphs: [...base.subgraphs, ...extra] }));

let t: TestHub;
let partner: RunningOwnerSubgraph<unknown>;
let drop: () => Promise<void>;

beforeAll(async () => {
  const signingKeys = await loadOrCreateSigningKeys(null);
  const dbs = await testDatabases(["plastics"]);
  drop = dbs.drop;
  partner = (await runSubgraph(
    plastics,
    {
      database: dbs.databases.plastics as NonNullable<(typeof dbs.databases)[string]>,
      hubPublicKey: await importHubPublicKey(signingKeys.publicJwk),
      keysDir: null,
    },
    { port: 0, host: "127.0.0.1" },
  )) as RunningOwnerSubgraph<unknown>;
  writeConfig([]);
  t = await startTestHub({ supergraphConfig: configFile, signingKeys, supergraphPollMs: 200 });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await partner?.close();
  await drop?.();
});

const asks = async () =>
  String(
    (await t.query(`query ($u: USCC!) { enterprise(uscc: $u) { plasticsCertificates { id } } }`, { u: newUscc() }))
      .errors?.[0]?.extensions?.code ?? "OK",
  );

async function eventually(check: () => Promise<string>, want: string) {
  let last = "";
  for (let i = 0; i < 50; i++) {
    last = await check();
    if (last === want) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

describe("reloading the supergraph", () => {
  it("when a partner is added to the config, then the running gateway serves its fields; when a change does not compose, it keeps the last good one", async () => {
    // Not in the supergraph yet: the field does not exist.
    expect(await asks()).toBe("GRAPHQL_VALIDATION_FAILED");

    writeConfig([{ name: "plastics", url: partner.url, sdl: EXAMPLE_SDL }]);
    // An unknown enterprise: the registry's NOT_FOUND, after the partner's field validated.
    expect(await eventually(asks, "NOT_FOUND")).toBe("NOT_FOUND");

    // A partner whose Enterprise key clashes with everyone else's: composition fails.
    const clash = join(dir, "clash.graphql");
    writeFileSync(
      clash,
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])\ntype Enterprise @key(fields: "uscc") { uscc: Int! }\ntype Query { clash: Int }\n`,
    );
    const logs = captureLogs();
    try {
      writeConfig([
        { name: "plastics", url: partner.url, sdl: EXAMPLE_SDL },
        { name: "clash", url: "http://127.0.0.1:9/graphql", sdl: clash },
      ]);
      expect(() => composeSupergraph(loadSupergraphConfig(configFile))).toThrow(/do not compose/);
      await new Promise((r) => setTimeout(r, 800));
      expect(await asks()).toBe("NOT_FOUND");
      // The operator is told why the change was not taken.
      expect(logs.text()).toMatch(/composition failed; still serving the last supergraph/);
    } finally {
      logs.restore();
    }
  });
});
