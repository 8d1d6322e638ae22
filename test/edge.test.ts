import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { edgeOptionsFromEnv, maskError, scrubError } from "../gateway/edge.ts";

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
    expect(out(maskError(coercion))).toEqual({
      message: 'Variable "$type" got invalid value "BANK"; Value "BANK" does not exist in "OrganisationType" enum.',
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("when a thrown exception sits under a GraphQL error, then the client gets a code and a fixed message", () => {
    const wrapped = new GraphQLError("Unexpected", {
      originalError: new Error('relation "AuditEntry" does not exist'),
    });
    expect(out(maskError(wrapped))).toEqual({
      message: "Internal error.",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(out(maskError(new Error("fetch failed")))).toMatchObject({ extensions: { code: "SUBGRAPH_UNAVAILABLE" } });
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
});
