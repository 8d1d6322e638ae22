import { composeServices, compositionHasErrors } from "@theguild/federation-composition";
import { GraphQLError, GraphQLScalarType, parse } from "graphql";
import type pg from "pg";
import { PURPOSES } from "../../protocol/access-terms.ts";
import { evaluationStatus, type Grade } from "../../subgraphs/associations/rules/grades.ts";
import { type ListKind, listClass } from "../../subgraphs/associations/rules/lists.ts";
import { type SanctionLevel, sanctionClass } from "../../subgraphs/associations/rules/sanctions.ts";
import {
  type AssociationFileFacts,
  negativeRecords,
  standingFindings,
} from "../../subgraphs/associations/rules/standing.ts";
import { bureauFiles, bureauFindings, negativeCategories, negatives } from "../../subgraphs/bureaus/rules/standing.ts";
import { disputes, latestPayment, tradingFiles, tradingFindings } from "../../subgraphs/industry/rules/standing.ts";
import { FINDING_SELECTION, type OwnerFindings, type ReleasedFinding } from "../../subgraphs/sdk/findings.ts";
import { groupBy, type RequestLoaders, requestLoader } from "../../subgraphs/sdk/loaders.ts";
import { retentionCutoff } from "../../subgraphs/sdk/retention.ts";
import { DateScalar, DateTimeScalar } from "../../subgraphs/sdk/scalars.ts";
import type { StandingPart } from "../../subgraphs/sdk/subgraph.ts";

/**
 * The ceiling's owners: the part of each owner the benchmark's public lookup and standing checks read, written
 * directly on @apollo/subgraph + pg over the same tables the hub's owners keep — no Prisma, no hub token, no
 * permissions, grants, consent checks, audit or error masking. What an answer *is* comes from the same plain rules
 * the hub's owners call (subgraphs/<owner>/rules), so the bench can check both answer alike and then time them:
 * the gap is the hub's own work. Only the fields those scenarios ask for are here.
 */

export interface CeilingContext {
  sql: (text: string, values: unknown[]) => Promise<pg.QueryResult>;
  /** Who asks: the ceiling does not authenticate; it answers as the bench's bank. */
  caller: string;
  now: Date;
  /** One batched query per field per request, as the hub's owners do (subgraphs/sdk/loaders.ts). */
  loaders: RequestLoaders;
}

interface Owner {
  typeDefs: string;
  resolvers: Record<string, unknown>;
}

type Key = { uscc: string; purpose: string };
type Resolver<P, R> = (parent: P, args: Record<string, unknown>, context: CeilingContext) => R;

const HEADER = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])
  scalar USCC
  scalar Date
  scalar DateTime
  enum Purpose { ${PURPOSES.join(" ")} }
  type StandingFinding @shareable {
    code: String! ownerId: ID! adverse: Boolean! value: Float label: String since: Date message: String! messageEn: String!
  }
`;
// Codes pass through as they are: checking them is the hub's work.
const USCC = new GraphQLScalarType({ name: "USCC" });
const SCALARS = { USCC, Date: DateScalar, DateTime: DateTimeScalar };
const released = (owners: OwnerFindings[]): ReleasedFinding[] =>
  owners.flatMap(({ ownerId, findings }) => findings.map((f) => ({ ...f, ownerId })));
const standingKey = { __resolveReference: (key: Key) => ({ ...key }) };
const findingsField = (part: StandingPart) => `${part.subgraph}Findings`;

function registry(parts: readonly StandingPart[]): Owner {
  const required = parts.map((p) => `${findingsField(p)} { ${FINDING_SELECTION} }`).join(" ");
  const enterprise = (context: CeilingContext, uscc: string) =>
    requestLoader(context.loaders, "enterprise", async (usccs: readonly string[]) => {
      const { rows } = await context.sql(`SELECT uscc, name, "registeredAt" FROM "Enterprise" WHERE uscc = ANY($1)`, [
        usccs,
      ]);
      return groupBy(usccs, rows, (r) => r.uscc as string).map((found) => found[0] ?? null);
    }).load(uscc);
  const known = async (context: CeilingContext, uscc: string, purpose: string) => {
    if (!(await enterprise(context, uscc)))
      return new GraphQLError(`No enterprise with code ${uscc} is known to the hub.`, {
        extensions: { code: "NOT_FOUND" },
      });
    return { uscc, purpose };
  };
  const weigh = (standing: Record<string, unknown>) =>
    parts.flatMap((part) => (standing[findingsField(part)] as ReleasedFinding[] | null) ?? []).filter((f) => f.adverse);
  const names = (context: CeilingContext, id: string) =>
    requestLoader(context.loaders, "organisationName", async (ids: readonly string[]) => {
      const { rows } = await context.sql(`SELECT id, name FROM "Organisation" WHERE id = ANY($1::uuid[])`, [ids]);
      const byId = new Map(rows.map((o) => [o.id as string, o.name as string]));
      return ids.map((k) => byId.get(k) ?? k);
    }).load(id);
  const reasons: Resolver<Record<string, unknown>, Promise<string[]>> = async (standing, _a, context) => {
    const adverse = weigh(standing);
    const reasons = await Promise.all(
      adverse.map(async (f) => {
        const owner = await names(context, f.ownerId);
        return `${owner}：${f.message} / ${owner}: ${f.messageEn}`;
      }),
    );
    return reasons.length ? reasons : ["各数据保管机构均无不良信息 / Nothing adverse in any owner's records."];
  };
  return {
    typeDefs: /* GraphQL */ `
      ${HEADER}
      type Query {
        enterprise(uscc: USCC!): Enterprise
        standing(uscc: USCC!, purpose: Purpose!): Standing
        standings(usccs: [USCC!]!, purpose: Purpose!): [Standing]!
      }
      type Enterprise @key(fields: "uscc") { uscc: USCC! name: String registeredAt: DateTime }
      type Organisation @key(fields: "id") { id: ID! name: String }
      type Consent { expiresAt: DateTime }
      type Standing @key(fields: "uscc purpose") {
        uscc: USCC!
        purpose: Purpose!
        enterprise: Enterprise
        consent: Consent
        ${parts.map((p) => `${findingsField(p)}: [StandingFinding!] @external`).join("\n")}
        goodStanding: Boolean @requires(fields: "${required}")
        reasons: [String!]! @requires(fields: "${required}")
      }
    `,
    resolvers: {
      ...SCALARS,
      Query: {
        enterprise: ((_r, { uscc }, context) => enterprise(context, String(uscc))) as Resolver<unknown, unknown>,
        standing: ((_r, { uscc, purpose }, context) => known(context, String(uscc), String(purpose))) as Resolver<
          unknown,
          unknown
        >,
        standings: ((_r, { usccs, purpose }, context) =>
          Promise.all((usccs as string[]).map((u) => known(context, u, String(purpose))))) as Resolver<
          unknown,
          unknown
        >,
      },
      Enterprise: {
        __resolveReference: (ref: { uscc: string }, context: CeilingContext) => enterprise(context, ref.uscc),
      },
      Organisation: {
        __resolveReference: async (ref: { id: string }, context: CeilingContext) => ({
          id: ref.id,
          name: await names(context, ref.id),
        }),
      },
      Standing: {
        ...standingKey,
        enterprise: ((s: Key, _a, context) => enterprise(context, s.uscc)) as Resolver<Key, unknown>,
        consent: ((s: Key, _a, context) =>
          requestLoader(context.loaders, `consent:${s.purpose}`, async (usccs: readonly string[]) => {
            const { rows } = await context.sql(
              `SELECT uscc, "expiresAt" FROM "Consent"
               WHERE uscc = ANY($1) AND "consumerId" = $2 AND purpose = $3::"Purpose" AND "revokedAt" IS NULL AND "expiresAt" > $4
               ORDER BY "expiresAt" DESC`,
              [usccs, context.caller, s.purpose, context.now],
            );
            return groupBy(usccs, rows, (r) => r.uscc as string).map((found) => found[0] ?? null);
          }).load(s.uscc)) as Resolver<Key, unknown>,
        goodStanding: (standing: Record<string, unknown>) => weigh(standing).length === 0,
        reasons,
      },
    },
  };
}

type AssociationFile = AssociationFileFacts & { uscc: string };

function associations(): Owner {
  const rowsOf =
    (table: string, order: string, extra = "") =>
    (context: CeilingContext, name: string) =>
    (uscc: string) =>
      requestLoader(context.loaders, name, async (usccs: readonly string[]) => {
        const { rows } = await context.sql(
          `SELECT * FROM "${table}" WHERE uscc = ANY($1) ${extra} ${order && `ORDER BY ${order}`}`,
          extra.includes("$2") ? [usccs, retentionCutoff(context.now)] : [usccs],
        );
        return groupBy(usccs, rows, (r) => r.uscc as string);
      }).load(uscc);
  const evaluations = rowsOf("Evaluation", `"issuedOn" DESC, "createdAt" DESC`);
  const sanctions = rowsOf("Sanction", `"decidedOn" DESC, "createdAt" DESC`);
  const lists = rowsOf("ListEntry", `"enteredOn" DESC, "createdAt" DESC`);
  // In whatever order the table gives them, as the hub's owner reads them.
  const memberships = rowsOf("Membership", "");
  // Records still shared: anything but a negative record whose behaviour ended more than five years ago.
  const records = rowsOf(
    "CreditRecord",
    `"occurredOn" DESC, "createdAt" DESC`,
    `AND status = 'ACTIVE' AND (polarity = 'POSITIVE' OR "endedOn" IS NULL OR "endedOn" > $2)`,
  );
  const validEvaluation = async (context: CeilingContext, uscc: string) =>
    (await evaluations(context, "evaluations")(uscc)).find(
      (e) => evaluationStatus(e as { status: "VALID"; validUntil: Date }, context.now) === "VALID",
    ) ?? null;
  const files = async (context: CeilingContext, uscc: string): Promise<AssociationFile[]> => {
    const [m, r, s, l] = await Promise.all([
      memberships(context, "memberships")(uscc),
      records(context, "records")(uscc),
      sanctions(context, "sanctions")(uscc),
      lists(context, "lists")(uscc),
    ]);
    const files = new Map<string, AssociationFile>();
    const fileOf = (ownerId: string) => {
      let file = files.get(ownerId);
      if (!file) {
        file = { ownerId, uscc, membership: null, records: [], sanctions: [], lists: [] };
        files.set(ownerId, file);
      }
      return file as { -readonly [K in keyof AssociationFile]: AssociationFile[K] };
    };
    for (const x of m) fileOf(x.ownerId).membership = x;
    for (const x of r) (fileOf(x.ownerId).records as unknown[]).push(x);
    for (const x of s) if (x.status === "ACTIVE") (fileOf(x.ownerId).sanctions as unknown[]).push(x);
    for (const x of l) if (x.status === "ACTIVE") (fileOf(x.ownerId).lists as unknown[]).push(x);
    return [...files.values()];
  };
  // An anonymous caller sees the public sanctions and list entries in force.
  const publicOnly = <R extends { status: string }>(rows: R[], cls: (r: R) => string) =>
    rows.filter((r) => r.status === "ACTIVE" && cls(r) === "PUBLIC");
  return {
    typeDefs: /* GraphQL */ `
      ${HEADER}
      type Enterprise @key(fields: "uscc") {
        uscc: USCC!
        evaluation: Evaluation
        sanctions: [Sanction!]
        listEntries: [ListEntry!]
      }
      type Evaluation { grade: String validUntil: Date }
      type Sanction { level: String decidedOn: Date }
      type ListEntry { list: String enteredOn: Date }
      type Membership { status: String }
      type Organisation @key(fields: "id", resolvable: false) { id: ID! }
      type AssociationStanding { association: Organisation membership: Membership negativeRecords: Int disputedRecords: Int }
      type Standing @key(fields: "uscc purpose") {
        uscc: USCC!
        purpose: Purpose!
        associations: [AssociationStanding!]
        associationsFindings: [StandingFinding!]
      }
    `,
    resolvers: {
      ...SCALARS,
      Enterprise: {
        __resolveReference: (ref: { uscc: string }) => ({ uscc: ref.uscc }),
        evaluation: ((e: { uscc: string }, _a, context) => validEvaluation(context, e.uscc)) as Resolver<
          { uscc: string },
          unknown
        >,
        sanctions: (async (e: { uscc: string }, _a, context) =>
          publicOnly(await sanctions(context, "sanctions")(e.uscc), (x) =>
            sanctionClass(x as { level: SanctionLevel }),
          )) as Resolver<{ uscc: string }, unknown>,
        listEntries: (async (e: { uscc: string }, _a, context) =>
          publicOnly(await lists(context, "lists")(e.uscc), (x) => listClass(x as { list: ListKind }))) as Resolver<
          { uscc: string },
          unknown
        >,
      },
      AssociationStanding: {
        association: (f: AssociationFile) => ({ id: f.ownerId }),
        negativeRecords: (f: AssociationFile) => negativeRecords(f).length,
        disputedRecords: (f: AssociationFile) => f.records.filter((r) => r.disputed).length,
      },
      Standing: {
        ...standingKey,
        associations: ((s: Key, _a, context) => files(context, s.uscc)) as Resolver<Key, unknown>,
        associationsFindings: (async (s: Key, _a, context) => {
          const [f, evaluation] = await Promise.all([files(context, s.uscc), validEvaluation(context, s.uscc)]);
          const { public: open, owners } = standingFindings(
            f,
            evaluation as { ownerId: string; grade: Grade; certificateNumber: string } | null,
          );
          return released([...open, ...owners]);
        }) as Resolver<Key, unknown>,
      },
    },
  };
}

/** An owner whose standing part is its files built from its active records, one query per request. */
function recordsLoader(table: string, order: string) {
  return (context: CeilingContext, uscc: string) =>
    requestLoader(context.loaders, "records", async (usccs: readonly string[]) => {
      const { rows } = await context.sql(
        `SELECT * FROM "${table}" WHERE uscc = ANY($1) AND status = 'ACTIVE' ORDER BY ${order}`,
        [usccs],
      );
      return groupBy(usccs, rows, (r) => r.uscc as string);
    }).load(uscc);
}

function industry(): Owner {
  const records = recordsLoader("TradeRecord", `"periodEnd" DESC, "createdAt" DESC`);
  const files = async (context: CeilingContext, uscc: string) => tradingFiles(uscc, await records(context, uscc));
  type File = Awaited<ReturnType<typeof files>>[number];
  return {
    typeDefs: /* GraphQL */ `
      ${HEADER}
      type Organisation @key(fields: "id", resolvable: false) { id: ID! }
      type TradingStanding { body: Organisation paymentOnTimeRatio: Float pendingDisputes: Int }
      type Standing @key(fields: "uscc purpose") {
        uscc: USCC!
        purpose: Purpose!
        trading: [TradingStanding!]
        industryFindings: [StandingFinding!]
      }
    `,
    resolvers: {
      ...SCALARS,
      TradingStanding: {
        body: (f: File) => ({ id: f.ownerId }),
        paymentOnTimeRatio: (f: File) => latestPayment(f)?.onTimeRatio ?? null,
        pendingDisputes: (f: File) => disputes(f, "PENDING"),
      },
      Standing: {
        ...standingKey,
        trading: ((s: Key, _a, context) => files(context, s.uscc)) as Resolver<Key, unknown>,
        industryFindings: (async (s: Key, _a, context) =>
          released(
            (await files(context, s.uscc)).map((f) => ({ ownerId: f.ownerId, findings: tradingFindings(f) })),
          )) as Resolver<Key, unknown>,
      },
    },
  };
}

function bureaus(): Owner {
  const records = recordsLoader("BureauRecord", `"occurredOn" DESC, "createdAt" DESC`);
  const files = async (context: CeilingContext, uscc: string) =>
    bureauFiles(uscc, await records(context, uscc), context.now);
  type File = Awaited<ReturnType<typeof files>>[number];
  return {
    typeDefs: /* GraphQL */ `
      ${HEADER}
      type Organisation @key(fields: "id", resolvable: false) { id: ID! }
      type BureauStanding { bureau: Organisation negativeRecords: Int negativeCategories: [String!] }
      type Standing @key(fields: "uscc purpose") {
        uscc: USCC!
        purpose: Purpose!
        bureaus: [BureauStanding!]
        bureausFindings: [StandingFinding!]
      }
    `,
    resolvers: {
      ...SCALARS,
      BureauStanding: {
        bureau: (f: File) => ({ id: f.ownerId }),
        negativeRecords: (f: File) => negatives(f).length,
        negativeCategories: (f: File) => negativeCategories(f),
      },
      Standing: {
        ...standingKey,
        bureaus: ((s: Key, _a, context) => files(context, s.uscc)) as Resolver<Key, unknown>,
        bureausFindings: (async (s: Key, _a, context) =>
          released(
            (await files(context, s.uscc)).map((f) => ({ ownerId: f.ownerId, findings: bureauFindings(f) })),
          )) as Resolver<Key, unknown>,
      },
    },
  };
}

/** The ceiling's owner of that name; the registry's verdict weighs the same parts as the hub's. */
export function ceilingOwner(name: string, parts: readonly StandingPart[]): Owner {
  switch (name) {
    case "registry":
      return registry(parts);
    case "associations":
      return associations();
    case "industry":
      return industry();
    case "bureaus":
      return bureaus();
    default:
      throw new Error(`the ceiling has no owner ${name}`);
  }
}

export const CEILING_OWNERS = ["registry", "associations", "industry", "bureaus"] as const;

/** The ceiling's supergraph, composed as the hub's is. */
export function ceilingSupergraph(parts: readonly StandingPart[], urls: Record<string, string>): string {
  const result = composeServices(
    CEILING_OWNERS.map((name) => ({
      name,
      url: urls[name] ?? "",
      typeDefs: parse(ceilingOwner(name, parts).typeDefs),
    })),
  );
  if (compositionHasErrors(result))
    throw new Error(`the ceiling does not compose: ${result.errors.map((e) => e.message).join("; ")}`);
  return result.supergraphSdl;
}
