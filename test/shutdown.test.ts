import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, type Spawned, startTsx } from "../hub/spawn.ts";
import { seedDataFolder } from "./support/hub.ts";

/**
 * SIGTERM during a burst: the hub (`npm start`, as its own process) stops
 * taking connections, lets every request it accepted finish, and exits 0.
 */

let hub: Spawned | undefined;
afterAll(async () => {
  await hub?.stop({ graceMs: 0, signal: "SIGKILL" });
});

describe("graceful shutdown", () => {
  it("when SIGTERM arrives during a burst of requests, then every accepted request completes and the process exits 0", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "credit-hub-sigterm-"));
    seedDataFolder(dataDir);
    hub = await startTsx({
      name: "npm start",
      script: ["hub/main.ts"],
      env: {
        PORT: String(port),
        OPERATOR_PORT: "0",
        DATA_DIR: dataDir,
        LOG_LEVEL: "error",
      },
      ready: /credit-hub is running\./,
      // Its first start seeds the demo data: on a busy machine, more than a minute.
      timeoutMs: 120_000,
    });

    const url = `http://127.0.0.1:${port}/graphql`;
    // Taking connections, not only printing that it runs.
    expect((await fetch(`http://127.0.0.1:${port}/healthcheck`)).status).toBe(200);
    const ask = (i: number) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ enterprises(nameContains: "有限公司", first: ${1 + (i % 20)}) { uscc name memberships { status association { name } } } }`,
        }),
      }).then(
        async (r) => ({
          status: r.status,
          body: (await r.json()) as {
            data?: { enterprises: unknown[] };
            errors?: { extensions?: { code?: string } }[];
          },
        }),
        (error: Error & { cause?: { code?: string } }) => ({ refused: error.cause?.code ?? error.message }),
      );
    const burst = Array.from({ length: 60 }, (_, i) => ask(i));
    // SIGTERM once the hub has answered one of the burst, so the rest are in flight or still arriving whatever
    // the machine's speed (a fixed pause let a slow machine signal before it had accepted any).
    await Promise.any(burst.map((p) => p.then((r) => ("status" in r && r.status === 200 ? r : Promise.reject(r)))));
    const exited = hub.stop({ graceMs: 60_000 });
    const results = await Promise.all(burst);

    const answered = results.filter((r) => "status" in r);
    // Requests accepted before the signal were answered in full; later ones were turned away with 503, or found
    // the port closed — none was cut off midway.
    const completed = answered.filter((r) => r.status === 200);
    const turnedAway = answered.filter((r) => r.status === 503);
    expect(completed.length).toBeGreaterThan(0);
    for (const r of completed) expect(r.body.data?.enterprises.length).toBeGreaterThan(0);
    for (const r of turnedAway) expect(r.body.errors?.[0]?.extensions?.code).toBe("SHUTTING_DOWN");
    expect(completed.length + turnedAway.length).toBe(answered.length);
    for (const r of results) if ("refused" in r) expect(r.refused).toBe("ECONNREFUSED");
    expect(await exited).toBe(0);
    hub = undefined;
  }, 180_000);
});
