import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./support/hub.ts";

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
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

  it("when asked for /healthcheck and /readiness, then both answer 200 once the hub is up", async () => {
    const base = t.url.replace(/\/graphql$/, "");
    expect((await fetch(`${base}/healthcheck`)).status).toBe(200);
    expect((await fetch(`${base}/readiness`)).status).toBe(200);
  });
});
