import type { GraphQLSchema } from "graphql";
import { readSettings } from "../../operations/settings.ts";
import type { OrganisationType } from "../../protocol/identity.ts";
import type { AuditDb } from "./audit.ts";
import { addAuditSchema } from "./audit-schema.ts";
import { createSubgraphBuilder, SUBGRAPH_SCHEMA_OPTIONS } from "./builder.ts";
import type { SubgraphContext } from "./context.ts";
import type { DriverAdapter, SqlReader } from "./database.ts";
import { ownerEntities } from "./entities.ts";
import type { StandingAssessment } from "./findings.ts";
import { addSharingGrants, cachedGrantStore, prismaGrantStore, type SharingGrantDelegate } from "./grants.ts";
import { mergePermissionTables, type PermissionTable } from "./permissions.ts";
import { addStandingFindings, standingEntity } from "./standing.ts";
import type { StandingPart, SubgraphDefinition } from "./subgraph.ts";
import type { InternalRoute } from "./subgraph-server.ts";

/**
 * A subgraph declared once. `defineSubgraph` gives it its builder and turns
 * the schema files and permission table into what the hub runs;
 * `defineOwner` adds what every data owner has — the Enterprise and
 * Organisation entities, the sharing-grants API, the access-history API over
 * its audit log, and (when it has a part in it) the bank's standing check —
 * with their GraphQL names, permission entries and storage derived from the
 * declaration. An owner's folder then holds only its own types.
 */

/** What the SDK needs of a Prisma client: the audit tables every subgraph has, and a way to close it. */
export interface SubgraphClient {
  $disconnect(): Promise<void>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  auditEntry: AuditDb["auditEntry"];
  auditCheckpoint: AuditDb["auditCheckpoint"];
}

/** What the SDK needs of a data owner's Prisma client: the audit tables and the sharing grants. */
export interface OwnerClient extends SubgraphClient {
  sharingGrant: SharingGrantDelegate;
}

export interface SubgraphDeclaration<Client> {
  /**
   * The subgraph's name: its entry in supergraph.config.json, its folders
   * (subgraphs/<name>, prisma/<name>), its database and keys, and the prefix
   * of the fields named after it (`<name>AccessHistory`, `<name>Findings`).
   */
  name: string;
  createClient(adapter: DriverAdapter): Client;
  /** Its migrations folder, when not prisma/<name>/migrations (a partner keeps its own). */
  migrations?: URL;
  /** Owner subgraphs whose signed records this one accepts (see signed-records.ts). */
  trusts?: string[];
}

export interface OwnerDeclaration<Client> extends SubgraphDeclaration<Client> {
  /** The kind of organisation whose rows these are: its staff write them and see their own grants and histories. */
  organisationType: OrganisationType;
  /**
   * The owner as the grants API names it: `<grantsName>SharingGrant`,
   * `grant<grantsName>Access`… (the hub's own owners keep the names their API
   * was published with: Association, IndustryBody, Bureau).
   */
  grantsName: string;
  /**
   * Its part of a bank's standing check: what its `Standing.<name>Findings`
   * says (the registry weighs it when supergraph.config.json names the part).
   */
  standing?: { description: string };
}

/** What the owner's folder adds besides its schema files: the rest of what the hub runs. */
export interface SubgraphParts<Client> {
  /** Who may call what (classified fields need no entry); the SDK adds the entries of what it derived. */
  permissions: PermissionTable;
  /** Purges what is past retention, auditing each purge; returns how many rows went. */
  retention?(db: Client, now: Date): Promise<number>;
  internalRoutes?(db: Client, now: () => Date, read: SqlReader): Record<string, InternalRoute>;
}

/** The audit log over a client's own AuditEntry and AuditCheckpoint tables. */
export function auditLogOf(db: SubgraphClient): AuditDb {
  return {
    $executeRawUnsafe: (query, ...values) => db.$executeRawUnsafe(query, ...values),
    auditEntry: db.auditEntry,
    auditCheckpoint: db.auditCheckpoint,
  };
}

/**
 * One schema per process: Pothos builds a builder's fields once, so a schema
 * that depends on the supergraph (the registry's verdict) is built for the
 * first one asked and refuses a different one, rather than quietly serve the
 * wrong verdict.
 */
function once(name: string, build: (standing: readonly StandingPart[]) => GraphQLSchema) {
  let built: { key: string; schema: GraphQLSchema } | null = null;
  return (standing: readonly StandingPart[]) => {
    const key = JSON.stringify(standing);
    if (!built) built = { key, schema: build(standing) };
    else if (built.key !== key)
      throw new Error(
        `The ${name} subgraph's schema was built for the standing parts ${built.key} and cannot be rebuilt for ${key} in the same process; restart it.`,
      );
    return built.schema;
  };
}

export function defineSubgraph<Client extends SubgraphClient>(declaration: SubgraphDeclaration<Client>) {
  const builder = createSubgraphBuilder<Client>();
  builder.mutationType({});
  const derived: PermissionTable[] = [];
  return {
    declaration,
    builder,
    /** Permission entries of what the SDK added to this subgraph's schema. */
    derived,
    /**
     * What the hub runs, once every schema file is imported. `schema` may
     * depend on the supergraph's standing parts (the registry's verdict weighs them).
     */
    subgraph(
      parts: SubgraphParts<Client>,
      schema: (standing: readonly StandingPart[]) => GraphQLSchema = () =>
        builder.toSubGraphSchema(SUBGRAPH_SCHEMA_OPTIONS),
    ): SubgraphDefinition<Client> {
      return {
        name: declaration.name,
        schema: once(declaration.name, schema),
        createClient: declaration.createClient,
        migrations: declaration.migrations,
        trusts: declaration.trusts,
        permissions: mergePermissionTables(...derived, parts.permissions),
        audit: auditLogOf,
        retention: parts.retention,
        internalRoutes: parts.internalRoutes,
      };
    },
  };
}

export function defineOwner<Client extends OwnerClient>(declaration: OwnerDeclaration<Client>) {
  const base = defineSubgraph(declaration);
  const { builder } = base;
  const { name, organisationType, grantsName, standing } = declaration;
  const { Enterprise, Organisation } = ownerEntities(builder);
  const grants = cachedGrantStore(prismaGrantStore<Client>(), {
    seconds: () => readSettings(["GRANTS_CACHE_SECONDS"]).GRANTS_CACHE_SECONDS,
  });
  base.derived.push(
    addSharingGrants(builder, { owner: grantsName, ownerType: organisationType, store: grants }),
    addAuditSchema(builder, {
      prefix: name,
      ownerType: organisationType,
      enterprise: Enterprise,
      organisation: Organisation,
      audit: auditLogOf,
    }),
  );
  const Standing = standing ? standingEntity(builder) : null;
  if (Standing) base.derived.push(Standing.permissions);
  return {
    ...base,
    Enterprise,
    Organisation,
    /** The standing check's entity, for owners with a part in it. */
    get Standing() {
      if (!Standing)
        throw new Error(`The ${name} subgraph declares no part in the standing check (its declaration's standing).`);
      return Standing.Standing;
    },
    /**
     * Adds `Standing.<name>Findings`, what the registry's verdict and a bank's
     * programmes weigh: `assess` gets every USCC of the request at once.
     */
    standingFindings(
      assess: (usccs: readonly string[], context: SubgraphContext<Client>) => Promise<StandingAssessment[]>,
    ) {
      if (!Standing || !standing)
        throw new Error(`The ${name} subgraph declares no part in the standing check (its declaration's standing).`);
      addStandingFindings(builder, Standing, {
        name,
        description: standing.description,
        assess,
      });
    },
    subgraph(parts: SubgraphParts<Client>): SubgraphDefinition<Client> {
      return {
        ...base.subgraph(parts),
        loadGrants: (db, caller) => grants.heldBy(db, caller),
      };
    },
  };
}
