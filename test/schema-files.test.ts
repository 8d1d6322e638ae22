import { describe, expect, it } from "vitest";
import { composeSchemaFiles, driftedSchemaFiles } from "../hub/compose.ts";
import { SUBGRAPHS } from "../hub/subgraphs.ts";

describe("committed schema files", () => {
  it("when the code is what was composed, then schema/ matches it exactly (run `npm run compose` if not)", () => {
    const drifted = driftedSchemaFiles().map((f) => f.url.pathname.split("/").slice(-2).join("/"));
    expect(drifted, "Out of date: run `npm run compose` and commit schema/").toEqual([]);
  });

  it("when a subgraph's schema changes without composing, then the drift check names the file", () => {
    const files = composeSchemaFiles().map((f) =>
      f.url.pathname.endsWith("/associations.graphql")
        ? {
            ...f,
            content: f.content.replace("type CreditRecord {", "type CreditRecord {\n  addedWithoutCompose: String"),
          }
        : f,
    );
    const drifted = driftedSchemaFiles(files).map((f) => f.url.pathname.split("/").pop());
    expect(drifted).toEqual(["associations.graphql"]);
  });

  it("when composed, then the access matrix lists each field with the class its owner declared", () => {
    const matrix = composeSchemaFiles().find((f) => f.url.pathname.endsWith("access-matrix.md"))?.content ?? "";
    expect(matrix).toContain("| CreditRecord | summary | associations | CONSENT | class CONSENT |");
    expect(matrix).toContain("| CreditRecord | version | associations | INTERNAL | class INTERNAL |");
    expect(matrix).toContain("| Membership | level | associations | MEMBER | class MEMBER |");
    expect(matrix).toContain("| Mutation | recordCreditEvent | associations | — | ASSOCIATION staff |");
    expect(matrix).not.toMatch(/\| _entities \|/);
  });

  it("when composed, then every subgraph's entity fields meet on Enterprise keyed by uscc", () => {
    const supergraph = composeSchemaFiles().find((f) => f.url.pathname.endsWith("supergraph.graphql"))?.content ?? "";
    const enterprise = /type Enterprise((?:\s+@join__type\([^)]*\))+)/.exec(supergraph)?.[1] ?? "";
    const graphs = [...enterprise.matchAll(/@join__type\(graph: (\w+), key: "uscc"\)/g)].map((m) => m[1]);
    expect(graphs).toEqual(SUBGRAPHS.map((s) => s.name.toUpperCase()).sort());
  });
});
