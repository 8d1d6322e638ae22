import {
  GraphQLID,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  graphql,
} from "graphql";
import { describe, expect, it } from "vitest";
import type { Sensitivity } from "../../protocol/access-terms.ts";
import { forbidden } from "../../protocol/errors.ts";
import type { Caller } from "../../protocol/identity.ts";
import {
  type AccessNote,
  decide,
  existenceClass,
  type GrantTerms,
  type RequestAccess,
  type Subject,
  subjectOf,
  visibleRows,
} from "../../subgraphs/sdk/access.ts";
import { applyPermissions, existenceMatrix, permissionMatrix, rules } from "../../subgraphs/sdk/permissions.ts";

/** The pure rules of subgraphs/sdk/access.ts and the permission layer over a schema made here: no hub, no database. */

const NOW = new Date("2026-06-01T00:00:00Z");
const OWNER = "owner-1";
const USCC = "91310115MA1K000001";
const subject: Subject = { ownerId: OWNER, uscc: USCC };

const org = (organisationType: string, extra: { id?: string; uscc?: string } = {}): Caller =>
  ({
    kind: "organisation",
    organisationId: extra.id ?? `${organisationType.toLowerCase()}-1`,
    organisationType,
    uscc: extra.uscc ?? null,
    roles: ["STAFF"],
  }) as unknown as Caller;
const anonymous = { kind: "anonymous" } as unknown as Caller;
const bank = org("FINANCIAL", { id: "bank-1" });

function grantTo(consumerOrganisationId: string, overrides: Partial<GrantTerms> = {}): GrantTerms {
  return {
    ownerId: OWNER,
    consumerOrganisationId,
    consumerType: null,
    classes: ["SHARED"],
    purposes: ["LOAN_APPROVAL"],
    validFrom: new Date("2026-01-01T00:00:00Z"),
    validUntil: null,
    revokedAt: null,
    ...overrides,
  };
}

/** A request's access, and the notes it took. */
function access(caller: Caller, options: { purpose?: string | null; grants?: GrantTerms[]; consents?: string[] } = {}) {
  const notes: AccessNote[] = [];
  const value: RequestAccess = {
    caller,
    purpose: options.purpose === undefined ? "LOAN_APPROVAL" : options.purpose,
    consents: new Map((options.consents ?? []).map((u) => [u, [{ uscc: u, consentId: `consent-${u}`, owners: [] }]])),
    now: NOW,
    grants: async () => options.grants ?? [],
    note: (n) => void notes.push(n),
  };
  return { access: value, notes };
}

describe("decide", () => {
  it("when the class is PUBLIC, then anyone may see it", async () => {
    expect(await decide("PUBLIC", subject, access(anonymous).access)).toEqual({ allowed: true });
  });

  it("when nobody signs in, then nothing beyond PUBLIC", async () => {
    for (const cls of ["MEMBER", "SHARED", "CONSENT", "INTERNAL"] as const)
      expect((await decide(cls, subject, access(anonymous).access)).allowed).toBe(false);
  });

  it("when the owner asks, then every class; when the enterprise asks, every class but INTERNAL", async () => {
    const owner = org("ASSOCIATION", { id: OWNER });
    const enterprise = org("ENTERPRISE", { uscc: USCC });
    for (const cls of ["MEMBER", "SHARED", "CONSENT", "INTERNAL"] as const) {
      expect((await decide(cls, subject, access(owner).access)).allowed).toBe(true);
      expect((await decide(cls, subject, access(enterprise).access)).allowed).toBe(cls !== "INTERNAL");
    }
  });

  it("when a bank holds a live SHARED grant for its purpose, then SHARED, but not MEMBER, CONSENT or INTERNAL", async () => {
    const a = access(bank, { grants: [grantTo("bank-1")] }).access;
    expect((await decide("SHARED", subject, a)).allowed).toBe(true);
    expect((await decide("MEMBER", subject, a)).allowed).toBe(false);
    expect((await decide("CONSENT", subject, a)).allowed).toBe(false);
    expect((await decide("INTERNAL", subject, a)).allowed).toBe(false);
  });

  it.each([
    ["no purpose", { purpose: null }, /State your purpose/],
    ["another purpose", { purpose: "SUPERVISION" }, /does not cover the purpose SUPERVISION/],
    ["a revoked grant", { grants: [grantTo("bank-1", { revokedAt: NOW })] }, /has not granted you SHARED/],
    ["an expired grant", { grants: [grantTo("bank-1", { validUntil: NOW })] }, /has not granted you SHARED/],
    ["another owner's grant", { grants: [grantTo("bank-1", { ownerId: "owner-2" })] }, /has not granted you SHARED/],
    ["another consumer's grant", { grants: [grantTo("bank-2")] }, /has not granted you SHARED/],
  ])("when the bank asks with %s, then SHARED is denied saying why", async (_what, options, reason) => {
    const d = await decide("SHARED", subject, access(bank, { grants: [grantTo("bank-1")], ...options }).access);
    expect(d.allowed).toBe(false);
    expect(d.allowed ? "" : d.reason).toMatch(reason);
  });

  it("when a CONSENT grant is held, then CONSENT needs the enterprise's consent too", async () => {
    const grants = [grantTo("bank-1", { classes: ["CONSENT"] })];
    expect((await decide("CONSENT", subject, access(bank, { grants }).access)).allowed).toBe(false);
    expect((await decide("CONSENT", subject, access(bank, { grants, consents: [USCC] }).access)).allowed).toBe(true);
  });

  it("when a consent covers some owners, then only their CONSENT data is released, citing it; others refuse with CONSENT_MISSING", async () => {
    const grants = [grantTo("bank-1", { classes: ["CONSENT"] })];
    const scoped = (owners: string[]) => {
      const a = access(bank, { grants });
      return { ...a.access, consents: new Map([[USCC, [{ uscc: USCC, consentId: "c-1", owners }]]]) };
    };
    expect(await decide("CONSENT", subject, scoped([OWNER]))).toEqual({ allowed: true, consentId: "c-1" });
    expect(await decide("CONSENT", subject, scoped([]))).toEqual({ allowed: true, consentId: "c-1" });
    expect(await decide("CONSENT", subject, scoped(["another-owner"]))).toMatchObject({
      allowed: false,
      code: "CONSENT_MISSING",
    });
  });

  it("when a grant names the caller's type, then it covers the caller", async () => {
    const grants = [grantTo("", { consumerOrganisationId: null, consumerType: "FINANCIAL" })];
    expect((await decide("SHARED", subject, access(bank, { grants }).access)).allowed).toBe(true);
  });
});

interface Row extends Subject {
  id: string;
  level: "LOW" | "HIGH";
}
const levelClass = (r: Pick<Row, "level">): Sensitivity => (r.level === "HIGH" ? "PUBLIC" : "MEMBER");
const rows: Row[] = [
  { id: "a", level: "HIGH", ownerId: OWNER, uscc: USCC },
  { id: "b", level: "LOW", ownerId: OWNER, uscc: USCC },
  { id: "c", level: "LOW", ownerId: "owner-2", uscc: USCC },
];
const bySubject = (r: Row) => ({ ownerId: r.ownerId, uscc: r.uscc });

describe("existence", () => {
  it("when a type declares one class, or a class per row, then that is each row's existence class", () => {
    expect(existenceClass({ exists: "SHARED" }, rows[0])).toBe("SHARED");
    expect(rows.map((r) => existenceClass({ exists: levelClass, rule: "by level" }, r))).toEqual([
      "PUBLIC",
      "MEMBER",
      "MEMBER",
    ]);
  });

  it("when a stranger lists rows, then it gets the public ones only, and each withheld row is noted as a denial", async () => {
    const a = access(bank);
    const shown = await visibleRows(
      rows,
      { subject: bySubject, existence: { exists: levelClass, rule: "by level" } },
      a.access,
      "Enterprise.rows",
    );
    expect(shown.map((r) => r.id)).toEqual(["a"]);
    expect(a.notes).toEqual([
      { subject: { ownerId: OWNER, uscc: USCC }, field: "Enterprise.rows", allowed: false },
      { subject: { ownerId: "owner-2", uscc: USCC }, field: "Enterprise.rows", allowed: false },
    ]);
  });

  it("when the owner lists rows, then it gets its own, not another owner's", async () => {
    const shown = await visibleRows(
      rows,
      { subject: bySubject, existence: { exists: levelClass, rule: "by level" } },
      access(org("ASSOCIATION", { id: OWNER })).access,
      "Enterprise.rows",
    );
    expect(shown.map((r) => r.id)).toEqual(["a", "b"]);
  });

  it("when a granted bank lists a hundred SHARED rows, then it sees them all and each release is noted", async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...rows[1], id: String(i) }) as Row);
    const a = access(bank, { grants: [grantTo("bank-1")] });
    const shown = await visibleRows(many, { subject: bySubject, existence: { exists: "SHARED" } }, a.access, "E.rows");
    expect(shown).toHaveLength(100);
    expect(a.notes).toHaveLength(100);
    expect(a.notes.every((n) => n.allowed)).toBe(true);
  });
});

/** A small subgraph-like schema: rows of one enterprise, one by id, and a mutation that names an enterprise. */
function schemaWith(rowExtensions: Record<string, unknown>) {
  const USCCScalar = new GraphQLScalarType({ name: "USCC" });
  const RowType = new GraphQLObjectType<Row>({
    name: "Row",
    ...rowExtensions,
    fields: { id: { type: GraphQLID, extensions: { sensitivity: "PUBLIC" } } },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: "Query",
      fields: {
        rows: { type: new GraphQLList(RowType), resolve: () => rows },
        row: {
          type: RowType,
          args: { id: { type: new GraphQLNonNull(GraphQLID) } },
          resolve: (_r, { id }) => {
            const found = rows.find((r) => r.id === id);
            if (!found) throw new Error(`No row ${String(id)}.`);
            return found;
          },
        },
      },
    }),
    mutation: new GraphQLObjectType({
      name: "Mutation",
      fields: {
        change: {
          type: GraphQLString,
          args: { uscc: { type: new GraphQLNonNull(USCCScalar) } },
          resolve: () => {
            throw forbidden("Only the owner can change this.");
          },
        },
      },
    }),
  });
}
const TABLE = { Query: { rows: rules.anyone, row: rules.anyone }, Mutation: { change: rules.anyone } };
const declared = subjectOf<Row>(bySubject, {
  exists: levelClass,
  rule: "PUBLIC when HIGH",
  notFound: (args) => new Error(`No row ${String(args.id)}.`),
});

describe("the permission layer", () => {
  it("when a type says whose rows it holds but not who may know they exist, then the subgraph does not start", () => {
    expect(() => permissionMatrix(schemaWith({ extensions: { subject: bySubject } }), TABLE)).toThrow(
      /Row says whose rows it holds but not who may know a row exists/,
    );
  });

  it("when the types are declared, then the access matrix shows each one's existence class", () => {
    expect(existenceMatrix(schemaWith(declared))).toEqual([{ type: "Row", existence: "by row: PUBLIC when HIGH" }]);
  });

  it("when a stranger asks, then lists leave hidden rows out and a hidden row by id answers like a missing one", async () => {
    const schema = applyPermissions(schemaWith(declared), TABLE);
    const a = access(bank);
    const run = (source: string) => graphql({ schema, source, contextValue: { caller: bank, access: a.access } });
    expect((await run("{ rows { __typename } }")).data).toEqual({ rows: [{ __typename: "Row" }] });
    const hidden = await run(`{ row(id: "b") { id } }`);
    const missing = await run(`{ row(id: "x") { id } }`);
    expect(hidden.errors?.[0]?.message).toBe("No row b.");
    expect(missing.errors?.[0]?.message).toBe("No row x.");
    expect((await run(`{ row(id: "a") { id } }`)).data).toEqual({ row: { id: "a" } });
    expect(a.notes.map((n) => [n.field, n.allowed])).toEqual([
      ["Query.rows", false],
      ["Query.rows", false],
      ["Query.row", false],
    ]);
  });

  it("when a change is refused, then the refusal is noted as a denied write naming the enterprise in the arguments", async () => {
    const schema = applyPermissions(schemaWith(declared), TABLE);
    const a = access(bank);
    const r = await graphql({
      schema,
      source: `mutation { change(uscc: "${USCC}") }`,
      contextValue: { caller: bank, access: a.access },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(a.notes).toEqual([
      { subject: { ownerId: null, uscc: USCC }, field: "Mutation.change", allowed: false, action: "WRITE" },
    ]);
  });
});
