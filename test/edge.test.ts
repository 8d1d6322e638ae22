import { readFileSync } from "node:fs";
import { buildASTSchema, GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { edgeOptionsFromEnv } from "../gateway/edge-options.ts";
import { scrubbedError, scrubError } from "../gateway/scrubbed-error.ts";
import { operationCost } from "../gateway/useCostLimit.ts";

/** The edge's error scrubbing and configuration, as functions. */

const out = (e: GraphQLError) => ({ message: e.message, extensions: e.extensions });

describe("scrubbing errors", () => {
  it("when an owner refuses with its own code, then its message and plain details pass, anything that names the inside does not", () => {
    const refused = new GraphQLError("already holds a valid evaluation: certificate 202610100100001", {
      extensions: {
        code: "BAD_USER_INPUT",
        existingCertificate: "202610100100001",
        serviceName: "associations",
        stacktrace: "x",
      },
    });
    expect(out(scrubError(refused))).toEqual({
      message: "already holds a valid evaluation: certificate 202610100100001",
      extensions: { code: "BAD_USER_INPUT", existingCertificate: "202610100100001" },
    });
  });

  it("when a message carries a stack frame or an address, then it is replaced, whatever its code", () => {
    const leaky = new GraphQLError("boom at handle (/srv/hub/server.ts:12:5)", { extensions: { code: "FORBIDDEN" } });
    expect(out(scrubError(leaky)).message).toBe("Internal error.");
    const down = new GraphQLError("connect ECONNREFUSED 127.0.0.1:4003", { extensions: { code: "FORBIDDEN" } });
    expect(out(scrubError(down))).toEqual({
      message: "A data owner's service did not answer; try again later.",
      extensions: { code: "SUBGRAPH_UNAVAILABLE" },
    });
  });

  it("when a client's variable does not fit its type, then it is BAD_USER_INPUT saying which, without suggestions", () => {
    const coercion = new GraphQLError(
      'Variable "$type" got invalid value "BANK"; Value "BANK" does not exist in "OrganisationType" enum. Did you mean the enum value "BUREAU"?',
      { originalError: new GraphQLError('Value "BANK" does not exist in "OrganisationType" enum.') },
    );
    expect(out(scrubbedError(coercion))).toEqual({
      message: 'Variable "$type" got invalid value "BANK"; Value "BANK" does not exist in "OrganisationType" enum.',
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("when a thrown exception sits under a GraphQL error, then the client gets a code and a fixed message", () => {
    const wrapped = new GraphQLError("Unexpected", {
      originalError: new Error('relation "AuditEntry" does not exist'),
    });
    expect(out(scrubbedError(wrapped))).toEqual({
      message: "Internal error.",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(out(scrubbedError(new Error("fetch failed")))).toMatchObject({
      extensions: { code: "SUBGRAPH_UNAVAILABLE" },
    });
  });
});

describe("the runtime's refusals of malformed requests", () => {
  it("when the runtime refuses a request with a 4xx and no code of ours, then it stays a client error in its own words", () => {
    const json = new GraphQLError("POST body sent invalid JSON.", {
      extensions: { http: { spec: true, status: 400 } },
    });
    expect(out(scrubError(json))).toEqual({
      message: "POST body sent invalid JSON.",
      extensions: { code: "BAD_REQUEST", http: { spec: true, status: 400 } },
    });
    const operation = new GraphQLError("Could not determine what operation to execute.", {
      extensions: { code: "OPERATION_RESOLUTION_FAILURE", http: { status: 400 } },
    });
    expect(out(scrubError(operation)).extensions?.code).toBe("OPERATION_NOT_FOUND");
    // A 4xx that hides a thrown fault, or a message that leaks, is not passed on.
    const leaky = new GraphQLError("boom at handle (/srv/hub/server.ts:12:5)", {
      extensions: { http: { status: 400 } },
    });
    expect(out(scrubError(leaky)).extensions?.code).toBe("INTERNAL_SERVER_ERROR");
  });
});

describe("an operation's cost", () => {
  const schema = buildASTSchema(parse(readFileSync(new URL("../schema/supergraph.graphql", import.meta.url), "utf8")), {
    assumeValidSDL: true,
  });
  const cost = (document: string, variables: Record<string, unknown> = {}, name?: string) =>
    operationCost(schema, parse(document), name, variables);

  it("when a list is sized by a list argument or a first-style argument, then that size multiplies what is selected in it", () => {
    const u = Array.from({ length: 100 }, () => "x");
    expect(cost(`query ($u: [USCC!]!) { standings(usccs: $u, purpose: LOAN_APPROVAL) { uscc } }`, { u })).toBe(200);
    expect(cost(`{ standings(usccs: ["a", "b"], purpose: LOAN_APPROVAL) { uscc goodStanding } }`)).toBe(6);
    expect(cost(`{ enterprises(nameContains: "x", first: 50) { uscc } }`)).toBe(100);
    expect(cost(`query ($n: Int) { enterprises(nameContains: "x", first: $n) { uscc } }`, { n: 7 })).toBe(14);
    // The schema's default (20) when the argument is left out; a variable's own default when it is not sent.
    expect(cost(`{ enterprises(nameContains: "x") { uscc } }`)).toBe(40);
    expect(cost(`query ($n: Int = 5) { enterprises(nameContains: "x", first: $n) { uscc } }`)).toBe(10);
    // A page object's size goes to the lists in it.
    expect(cost(`{ sharedRecordChanges(first: 500) { changes { recordId } hasMore } }`)).toBe(1 + 500 * 2 + 1);
  });

  it("when fragments spread fragments many times, then each spread counts, priced once", () => {
    const levels = 60;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`);
    expect(cost(`{ ...F${levels} } fragment F0 on Query { __typename } ${fragments.join(" ")}`)).toBe(2 ** levels);
  });

  it("when operationName picks no operation, then there is no cost to give", () => {
    expect(cost(`query A { __typename }`, {}, "B")).toBeNull();
    expect(cost(`query A { __typename } query B { me { id } }`, {}, "B")).toBe(2);
  });
});

describe("configuring the edge", () => {
  it("when a limit is set, lifted or malformed, then it is taken, off, or start-up stops naming it", () => {
    expect(edgeOptionsFromEnv({ GRAPHQL_MAX_DEPTH: "8", NODE_ENV: "production" })).toMatchObject({
      maxDepth: 8,
      production: true,
    });
    expect(edgeOptionsFromEnv({ GRAPHQL_MAX_ALIASES: "off" }).maxAliases).toBeNull();
    expect(edgeOptionsFromEnv({ CORS_ORIGINS: "https://a.example, https://b.example" }).corsOrigins).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
    expect(() => edgeOptionsFromEnv({ MAX_BODY_BYTES: "lots" })).toThrow(/MAX_BODY_BYTES must be a whole number/);
  });

  it("when nothing is set, then production limits cost, answer size and the rate per organisation; development does not rate-limit", () => {
    expect(edgeOptionsFromEnv({ NODE_ENV: "production" })).toMatchObject({
      maxCost: 10_000,
      maxResponseBytes: 4 * 1024 * 1024,
      rateLimitPerMinute: 600,
    });
    expect(edgeOptionsFromEnv({}).rateLimitPerMinute).toBeNull();
    expect(edgeOptionsFromEnv({ NODE_ENV: "production", RATE_LIMIT_PER_MINUTE: "off" }).rateLimitPerMinute).toBeNull();
    expect(edgeOptionsFromEnv({ GRAPHQL_MAX_COST: "50000" }).maxCost).toBe(50_000);
  });
});
