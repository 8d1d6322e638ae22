import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type EdgeOptions, edgeOptionsFromEnv } from "../gateway/edge-options.ts";
import { byHash, documentHash, HUB_DOCUMENTS } from "../gateway/trusted-documents.ts";
import { graphql } from "../hub/client.ts";
import { newUscc, startTestHub, type TestHub } from "./support/hub.ts";
import { captureLogs } from "./support/logs.ts";

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
  maxCost: 10_000,
  maxResponseBytes: 16 * 1024,
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
  maxCost: null,
  maxResponseBytes: null,
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
    // A fragment that spreads itself is no valid operation at all (graphql's NoFragmentCycles), whatever its depth.
    const cyclic = `query ($u: USCC!) { enterprise(uscc: $u) { ...A } } fragment A on Enterprise { memberships { enterprise { ...A } } }`;
    expect(code(await t.query(cyclic, { u }))).toBe("GRAPHQL_VALIDATION_FAILED");
    const aliases = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    expect(code(await t.query(aliases))).toBe("TOO_MANY_ALIASES");
    const directives = `{ ${Array.from({ length: 4 }, () => "__typename @include(if: true)").join(" ")} }`;
    expect(code(await t.query(directives))).toBe("TOO_MANY_DIRECTIVES");
    const tokens = `{ ${"__typename ".repeat(500)}}`;
    expect(code(await t.query(tokens))).toBe("TOO_MANY_TOKENS");
  });

  it("when fragments spread fragments, each twice, then the checks answer at once: what the spreads multiply is counted, not re-walked", async () => {
    // F30 spreads __typename 2^30 times. A check that walks a fragment again at every spread takes hours here.
    const doubling = (levels: number, base: string) =>
      `fragment F0 on Query { ${base} } ${Array.from(
        { length: levels },
        (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`,
      ).join(" ")} { ...F${levels} }`;
    const costly = await t.query(doubling(30, "__typename"));
    expect(code(costly)).toBe("QUERY_TOO_COSTLY");
    expect(costly.status).toBe(400);
    // Two aliases in a fragment spread 8 times are 16 aliases, not 2.
    expect(code(await t.query(doubling(3, "a: __typename b: __typename")))).toBe("TOO_MANY_ALIASES");
    // Depth follows fragments too.
    const deep = `query ($u: USCC!) { enterprise(uscc: $u) { ...M } } fragment M on Enterprise { memberships { enterprise { ...N } } } fragment N on Enterprise { memberships { enterprise { ...O } } } fragment O on Enterprise { memberships { enterprise { uscc } } }`;
    expect(code(await t.query(deep, { u: newUscc() }))).toBe("QUERY_TOO_DEEP");
  });

  it("when an answer is larger than the limit, then the client gets RESPONSE_TOO_LARGE instead", async () => {
    const everything = `{ __schema { types { name description fields { name description args { name description } } } } }`;
    const r = await t.query(everything, {}, { apiKey: t.operatorKey });
    expect(r.status).toBe(400);
    expect(code(r)).toBe("RESPONSE_TOO_LARGE");
    expect(r.data ?? null).toBeNull();
  });

  it("when an organisation's ADMIN (not a hub operator) introspects or misspells, then it is refused and gets no suggestions, even right after an operator asked the same", async () => {
    const { key } = await t.organisation("FINANCIAL");
    const q = `{ __schema { mutationType { name } } }`;
    expect((await t.query(q, {}, { apiKey: t.operatorKey })).errors).toBeUndefined();
    const admin = await t.query(q, {}, { apiKey: key });
    expect(admin.data ?? null).toBeNull();
    expect(admin.errors?.[0]?.message).toMatch(/introspection has been disabled/i);
    const typo = `{ organisationz { id } }`;
    expect((await t.query(typo, {}, { apiKey: t.operatorKey })).errors?.[0]?.message).toMatch(/Did you mean/);
    expect((await t.query(typo, {}, { apiKey: key })).errors?.[0]?.message).toBe(
      'Cannot query field "organisationz" on type "Query".',
    );
  });

  it("when a request names no operation of its document, picks a subscription or is malformed, then it gets a client error with its own code", async () => {
    const send = (body: string) =>
      fetch(t.url, {
        method: "POST",
        // As the hub's clients ask (with plain application/json, the runtime answers some refusals 200, as the
        // GraphQL-over-HTTP spec lets it).
        headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
        body,
      }).then(async (r) => ({
        status: r.status,
        ...(await r.json()),
      }));
    const unknown = await send(JSON.stringify({ query: "query A { __typename }", operationName: "B" }));
    expect([unknown.status, code(unknown)]).toEqual([400, "OPERATION_NOT_FOUND"]);
    const unnamed = await send(JSON.stringify({ query: "query A { __typename } query B { __typename }" }));
    expect([unnamed.status, code(unnamed)]).toEqual([400, "OPERATION_NOT_FOUND"]);
    const subscription = await send(JSON.stringify({ query: "subscription { __typename }" }));
    expect([subscription.status, code(subscription)]).toEqual([400, "SUBSCRIPTIONS_NOT_SUPPORTED"]);
    const notJson = await send("{ this is not json");
    expect([notJson.status, code(notJson)]).toEqual([400, "BAD_REQUEST"]);
    const noQuery = await send(JSON.stringify({ variables: {} }));
    expect(noQuery.status).toBe(400);
    expect(code(noQuery)).not.toBe("INTERNAL_SERVER_ERROR");
  });

  it("when requests are refused (too many tokens, unparsable, too costly), then they count toward the caller's rate limit", async () => {
    const { key } = await t.organisation("FINANCIAL");
    const refused = [
      `{ ${"__typename ".repeat(500)}}`,
      `{ me { id `,
      `{ a: enterprises(nameContains: "x", first: 100000) { uscc } }`,
    ];
    for (let i = 0; i < 60; i++) {
      const r = await t.query(refused[i % 3] as string, {}, { apiKey: key });
      expect(r.status).toBe(400);
    }
    const next = await t.query("{ me { id } }", {}, { apiKey: key });
    expect(next.status).toBe(429);
    expect(code(next)).toBe("RATE_LIMITED");
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
    const logs = captureLogs();
    const r = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ enterprise(uscc: "${u}") { uscc bureauRecords { category } } }` }),
    }).finally(logs.restore);
    // The operator is told, without the address or the request.
    expect(logs.text()).toMatch(/ECONNREFUSED/);
    expect(logs.text()).not.toMatch(/127\.0\.0\.1|https?:\/\/|bureauRecords|停机/);
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
    // The documents production registers by itself (edge-options.ts), and the test's own.
    const registered = new Map([
      ...edgeOptionsFromEnv({ NODE_ENV: "production" }).trustedDocuments,
      ...byHash([REGISTERED]),
    ]);
    trusted = await startTestHub({
      edge: DEFENCES_OFF ? OFF : { ...PRODUCTION, trustedDocumentsOnly: true, trustedDocuments: registered },
    });
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

  it("when an enterprise without a key yet accepts its invitation, then the hub's registered document runs by its hash", async () => {
    const accepted = await send({
      variables: { code: `inv_${"0".repeat(16)}_${"A".repeat(43)}` },
      extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(HUB_DOCUMENTS.acceptInvitation) } },
    });
    // Runs: the registry answers (no such invitation), not the edge.
    expect(code(accepted)).toBe("BAD_USER_INPUT");
    expect(accepted.errors[0].message).toMatch(/not valid, has expired or has been used/);
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

describe("the edge at its production defaults", () => {
  let d: TestHub;
  beforeAll(async () => {
    const defaults = edgeOptionsFromEnv({ NODE_ENV: "production" });
    d = await startTestHub({ edge: DEFENCES_OFF ? OFF : defaults });
  });
  afterAll(async () => {
    await d?.close();
  });

  const usccs = Array.from({ length: 100 }, () => newUscc());
  const aliased = (n: number, field: string) =>
    `query ($u: [USCC!]!) { ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

  it("when a bank asks for 110 aliases of standings of 100, or anyone for 110 aliases of 100 enterprises, then the cost limit refuses it; one standings of 100 runs", async () => {
    const bank = await d.organisation("FINANCIAL");
    const as = { apiKey: bank.key, purpose: "LOAN_APPROVAL" };
    const one = await d.query<{ standings: unknown[] }>(
      `query ($u: [USCC!]!) { standings(usccs: $u, purpose: LOAN_APPROVAL) { enterprise { name } associations { association { name } negativeRecords } trading { body { name } paymentOnTimeRatio } bureaus { bureau { name } negativeRecords } goodStanding reasons } }`,
      { u: usccs },
      as,
    );
    expect(one.status).toBe(200);
    expect(one.data?.standings).toHaveLength(100);
    expect(one.errors?.map((e) => e.extensions?.code).filter((c) => c !== "NOT_FOUND")).toEqual([]);

    const standings = await d.query(
      aliased(110, "standings(usccs: $u, purpose: LOAN_APPROVAL) { uscc }"),
      { u: usccs },
      as,
    );
    expect([standings.status, code(standings)]).toEqual([400, "QUERY_TOO_COSTLY"]);
    expect(standings.data ?? null).toBeNull();

    const enterprises = await d.query(
      `{ ${Array.from({ length: 110 }, (_, i) => `a${i}: enterprises(nameContains: "公司", first: 100) { uscc name }`).join(" ")} }`,
    );
    expect([enterprises.status, code(enterprises)]).toEqual([400, "QUERY_TOO_COSTLY"]);
  });

  it("when a few parallel cost attacks have been refused, then an anonymous lookup still answers, and the hub logs next to nothing", async () => {
    const association = await d.organisation("ASSOCIATION");
    const u = newUscc();
    const name = "攻击后查询测试企业";
    const registered = await d.query(
      `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
      { i: { uscc: u, name } },
      { apiKey: association.key },
    );
    expect(registered.errors).toBeUndefined();
    const lookup = `query ($u: USCC!) { enterprise(uscc: $u) { uscc name } }`;
    const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(" ");
    // Issue 13's shapes, each inside the depth, alias and token limits, so the cost estimate is what stops them.
    const costly = [
      `{ ${times(110, (i) => `a${i}: enterprises(nameContains: "公司", first: 100) { uscc name }`)} }`,
      `{ ...F30 } fragment F0 on Query { __typename } ${times(30, (i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`)}`,
      `{ enterprises(nameContains: "公司", first: 100) { ...L4 } } fragment L0 on Enterprise { uscc name } ${times(4, (i) => `fragment L${i + 1} on Enterprise { memberships { enterprise { ...L${i} } } ...L${i} }`)}`,
      `{ enterprises(nameContains: "公司", first: 1000000) { uscc name memberships { status association { name } } } }`,
    ];
    // The hub writes its log lines to stderr (operations/logger.ts); the test hub runs in this process.
    const stderr = vi.spyOn(process.stderr, "write");
    try {
      const [attacks, during] = await Promise.all([
        Promise.all(Array.from({ length: 8 }, (_, i) => d.query(costly[i % costly.length] as string))),
        d.query(lookup, { u }),
      ]);
      expect(attacks.map((r) => [r.status, code(r)])).toEqual(Array(8).fill([400, "QUERY_TOO_COSTLY"]));
      expect(attacks.every((r) => (r.data ?? null) === null)).toBe(true);
      expect(during.data?.enterprise).toEqual({ uscc: u, name });

      const after = await d.query(lookup, { u });
      expect([after.status, after.errors]).toEqual([200, undefined]);
      expect(after.data?.enterprise).toEqual({ uscc: u, name });
      // During the issue's attack the gateway wrote a line per failed request, each with its body: refusals
      // must leave at most a few short lines, at the level the tests run with.
      const logged = stderr.mock.calls.reduce((n, [chunk]) => n + Buffer.byteLength(chunk as string | Uint8Array), 0);
      expect(logged).toBeLessThan(4096);
    } finally {
      stderr.mockRestore();
    }
  });
});
