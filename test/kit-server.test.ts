import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../operations/logger.ts";
import { forbidden } from "../protocol/errors.ts";
import { HUB_TOKEN_HEADER } from "../protocol/headers.ts";
import { importHubPublicKey, mintHubToken } from "../protocol/hub-token.ts";
import { ANONYMOUS } from "../protocol/identity.ts";
import { createSubgraphBuilder } from "../subgraphs/sdk/builder.ts";
import { type RunningSubgraph, startSubgraphServer } from "../subgraphs/sdk/subgraph-server.ts";

/** The kit's subgraph server on a tiny schema of its own: what it lets out when resolvers fail. */

const builder = createSubgraphBuilder<null>();
builder.queryFields((t) => ({
  leaky: t.string({
    resolve: () => {
      throw new Error('relation "Secret" does not exist at postgres://admin:pw@10.1.2.3/db');
    },
  }),
  denied: t.string({
    resolve: () => {
      throw forbidden("Not yours.");
    },
  }),
  fine: t.string({ resolve: () => "ok" }),
}));
const schema = builder.toSubGraphSchema({ linkUrl: "https://specs.apollo.dev/federation/v2.6" });

let server: RunningSubgraph;
let sign: (body: string) => string;
let ready = true;
const logged: Record<string, unknown>[] = [];
const record = (msg: string, fields: Record<string, unknown> = {}) => void logged.push({ msg, ...fields });
const logger: Logger = { debug: record, info: record, warn: record, error: record, child: () => logger };

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  sign = (body) => mintHubToken(privateKey, "kit", body, { caller: ANONYMOUS, purpose: null, requestId: randomUUID() });
  server = await startSubgraphServer(
    {
      name: "kit",
      schema,
      db: null,
      hubPublicKey: await importHubPublicKey(await exportJWK(publicKey)),
      ready: async () => ready,
      logger,
    },
    { port: 0, operator: { port: 0, host: "127.0.0.1" } },
  );
});
afterAll(async () => {
  await server?.close();
});

async function ask(query: string) {
  const body = JSON.stringify({ query });
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", [HUB_TOKEN_HEADER]: await sign(body) },
    body,
  });
  return (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  };
}

describe("the SDK's subgraph server", () => {
  it("when a resolver fails inside, then the client gets INTERNAL_SERVER_ERROR with no detail, and the rest of the answer", async () => {
    const r = await ask("{ leaky fine }");
    expect(r.data).toEqual({ leaky: null, fine: "ok" });
    expect(r.errors).toMatchObject([
      { message: "Internal error.", path: ["leaky"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/Secret|10\.1\.2\.3|stack/);
    // The detail goes to the operator's log instead.
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: "internal error", error: expect.stringContaining("Secret") }),
    );
  });

  it("when a resolver denies, then FORBIDDEN comes through with its message and path", async () => {
    const r = await ask("{ denied fine }");
    expect(r.data).toEqual({ denied: null, fine: "ok" });
    expect(r.errors).toMatchObject([{ message: "Not yours.", path: ["denied"], extensions: { code: "FORBIDDEN" } }]);
  });

  it("when the query does not parse, then the parse error says so", async () => {
    const r = await ask("{ fine ");
    expect(r.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("when the database stops answering, then /readiness says 503 while /healthcheck stays 200 (on the operator's address)", async () => {
    const base = server.operatorUrl ?? "";
    expect((await fetch(`${base}/readiness`)).status).toBe(200);
    ready = false;
    expect((await fetch(`${base}/readiness`)).status).toBe(503);
    expect((await fetch(`${base}/healthcheck`)).status).toBe(200);
    ready = true;
  });

  it("when a request is too large, then 413 and nothing runs", async () => {
    const body = JSON.stringify({ query: `{ fine }`, padding: "x".repeat(1_100_000) });
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", [HUB_TOKEN_HEADER]: await sign(body) },
      body,
    });
    expect(response.status).toBe(413);
  });
});
