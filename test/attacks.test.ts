import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeOptions } from "../gateway/edge.ts";
import { byHash, documentHash } from "../gateway/trusted-documents.ts";
import { graphql } from "../hub/client.ts";
import { newUscc, startTestHub, type TestHub } from "./support/hub.ts";

/**
 * What a hostile client meets at the gateway in production mode: each attack,
 * and the safe outcome. With CREDIT_HUB_EDGE_OFF=1 the hub starts with every
 * defence of the edge switched off — then these tests fail, which shows that
 * each one tests its defence.
 */

/** An operation the operator registered for anonymous callers. */
const REGISTERED = /* GraphQL */ `
  query Lookup($u: USCC!) {
    enterprise(uscc: $u) { uscc name }
  }
`;

const PRODUCTION: EdgeOptions = {
  production: true,
  maxDepth: 6,
  maxAliases: 5,
  maxDirectives: 3,
  maxTokens: 400,
  maxBatch: 1,
  maxBodyBytes: 8 * 1024,
  corsOrigins: ["https://bank.example"],
  rateLimitPerMinute: 60,
  csrfPrevention: true,
  scrubErrors: true,
  trustedDocuments: byHash([REGISTERED]),
  trustedDocumentsOnly: false,
};
const OFF: EdgeOptions = {
  production: false,
  maxDepth: null,
  maxAliases: null,
  maxDirectives: null,
  maxTokens: null,
  maxBatch: 100,
  maxBodyBytes: 100 * 1024 * 1024,
  corsOrigins: [],
  rateLimitPerMinute: null,
  csrfPrevention: false,
  scrubErrors: false,
  trustedDocuments: new Map(),
  trustedDocumentsOnly: false,
};

const DEFENCES_OFF = process.env.CREDIT_HUB_EDGE_OFF === "1";
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ edge: DEFENCES_OFF ? OFF : PRODUCTION });
});
afterAll(async () => {
  await t?.close();
});

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

describe("the public edge in production", () => {
  it("when an anonymous caller introspects, then it is refused; an operator may", async () => {
    const q = `{ __schema { queryType { name } } }`;
    const anonymous = await t.query(q);
    expect(anonymous.data ?? null).toBeNull();
    expect(anonymous.errors?.[0]?.message).toMatch(/introspection has been disabled/i);
    const operator = await t.query<{ __schema: { queryType: { name: string } } }>(q, {}, { apiKey: t.operatorKey });
    expect(operator.data?.__schema.queryType.name).toBe("Query");
  });

  it("when a caller misspells a field, then the error does not suggest the schema's names, except to an operator", async () => {
    const q = `query ($u: USCC!) { enterprize(uscc: $u) { name } }`;
    const anonymous = await t.query(q, { u: newUscc() });
    expect(anonymous.errors?.[0]?.message).toBe('Cannot query field "enterprize" on type "Query".');
    const operator = await t.query(q, { u: newUscc() }, { apiKey: t.operatorKey });
    expect(operator.errors?.[0]?.message).toMatch(/Did you mean "enterprise"/);
  });

  it("when an operation is too deep, has too many aliases, directives or tokens, then each is refused with its own code", async () => {
    const u = newUscc();
    const deep = `query ($u: USCC!) { enterprise(uscc: $u) { memberships { enterprise { memberships { enterprise { memberships { enterprise { uscc } } } } } } } }`;
    expect(code(await t.query(deep, { u }))).toBe("QUERY_TOO_DEEP");
    const cyclic = `query ($u: USCC!) { enterprise(uscc: $u) { ...A } } fragment A on Enterprise { memberships { enterprise { ...A } } }`;
    expect(code(await t.query(cyclic, { u }))).toBe("QUERY_TOO_DEEP");
    const aliases = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    expect(code(await t.query(aliases))).toBe("TOO_MANY_ALIASES");
    const directives = `{ ${Array.from({ length: 4 }, () => "__typename @include(if: true)").join(" ")} }`;
    expect(code(await t.query(directives))).toBe("TOO_MANY_DIRECTIVES");
    const tokens = `{ ${"__typename ".repeat(500)}}`;
    expect(code(await t.query(tokens))).toBe("TOO_MANY_TOKENS");
  });

  it("when a request batches operations or is too large, then it is refused before anything parses it", async () => {
    const batch = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    });
    expect(batch.status).toBe(400);
    expect((await batch.json()).errors[0].extensions.code).toBe("BATCH_TOO_LARGE");
    const big = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(20_000) } }),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("when a browser on another site forges a simple request, then CSRF prevention refuses it", async () => {
    const get = await fetch(`${t.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { accept: "application/json" },
    });
    expect(get.status).toBe(403);
    expect((await get.json()).errors[0].extensions.code).toBe("CSRF_HEADER_MISSING");
    const form = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(form.status).toBe(403);
    const withHeader = await fetch(`${t.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { accept: "application/json", "x-graphql-csrf": "1" },
    });
    expect(withHeader.status).toBe(200);
  });

  it("when a page on an origin outside the allow-list asks first, then it gets no CORS permission; the allowed origin does", async () => {
    const preflight = (origin: string) =>
      fetch(t.url, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    const evil = await preflight("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const bank = await preflight("https://bank.example");
    expect(bank.headers.get("access-control-allow-origin")).toBe("https://bank.example");
  });

  it("when one organisation floods the hub, then it is slowed down with 429 and the others are not", async () => {
    const { key } = await t.organisation("FINANCIAL");
    const results = [];
    for (let i = 0; i < 61; i++) results.push(await graphql(t.url, "{ me { id } }", {}, { apiKey: key }));
    expect(results.slice(0, 60).every((r) => r.status === 200)).toBe(true);
    expect(results[60]?.status).toBe(429);
    expect(code(results[60] ?? {})).toBe("RATE_LIMITED");
    const other = await t.organisation("FINANCIAL");
    expect((await graphql(t.url, "{ me { id } }", {}, { apiKey: other.key })).status).toBe(200);
  });

  it("when a data owner's service is down, then the client gets a scrubbed error: no URL, no subgraph name, no stack", async () => {
    const u = newUscc();
    const association = await t.organisation("ASSOCIATION");
    await t.query(
      `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
      { i: { uscc: u, name: "停机测试企业" } },
      { apiKey: association.key },
    );
    await t.hub.subgraphs.bureaus?.close();
    const r = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ enterprise(uscc: "${u}") { uscc bureauRecords { category } } }` }),
    });
    const text = await r.text();
    expect(text).not.toMatch(/https?:\/\/|127\.0\.0\.1|bureaus|ECONN|stack|at .+:\d+/i);
    const body = JSON.parse(text);
    expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain(
      "SUBGRAPH_UNAVAILABLE",
    );
    expect(Object.keys(body.errors[0].extensions)).toEqual(["code"]);
  });
});

describe("trusted-documents mode", () => {
  let trusted: TestHub;
  beforeAll(async () => {
    trusted = await startTestHub({ edge: DEFENCES_OFF ? OFF : { ...PRODUCTION, trustedDocumentsOnly: true } });
  });
  afterAll(async () => {
    await trusted?.close();
  });

  const send = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(trusted.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, ...(await r.json()) }));

  it("when an anonymous caller sends its own operation, then it is refused; a registered one runs by its hash", async () => {
    const u = newUscc();
    const own = await send({
      query: `query ($u: USCC!) { enterprise(uscc: $u) { uscc memberships { status } } }`,
      variables: { u },
    });
    expect(own.status).toBe(400);
    expect(code(own)).toBe("TRUSTED_DOCUMENTS_ONLY");
    expect(own.data ?? null).toBeNull();

    const unknown = await send({
      variables: { u },
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    expect(code(unknown)).toBe("DOCUMENT_NOT_TRUSTED");

    const registered = await send({
      variables: { u },
      extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(REGISTERED) } },
    });
    // Runs: the owner answers (an unknown code is NOT_FOUND), not the edge.
    expect(code(registered)).toBe("NOT_FOUND");
  });

  it("when an organisation authenticates, then it may still send its own operations", async () => {
    const { key } = await trusted.organisation("FINANCIAL");
    const mine = await send({ query: "{ me { id } }" }, { "x-api-key": key });
    expect(mine.errors).toBeUndefined();
    expect(mine.data.me.id).toBeTruthy();
    // A credential that does not hold is no way around the list.
    const forged = await send({ query: "{ me { id } }" }, { "x-api-key": "chk_forged" });
    expect(code(forged)).toBe("UNAUTHENTICATED");
  });
});
