import { LRUCache } from "lru-cache";
import { GRANTABLE_CLASSES } from "../../protocol/access-terms.ts";
import { badInput, notFound } from "../../protocol/errors.ts";
import type { Caller, OrganisationType } from "../../protocol/identity.ts";
import type { GrantTerms } from "./access.ts";
import { type createSubgraphBuilder, purposeEnum } from "./builder.ts";
import { type PermissionTable, rules } from "./permissions.ts";
import { isUuid } from "./validation.ts";

/**
 * Sharing grants: a data owner's decisions about who else sees which classes
 * of its data, for which purposes, until when. Every owner subgraph keeps its
 * own grants in its own database (a `SharingGrant` table) and mounts this API
 * over them under its own names.
 */

export interface GrantRecord extends GrantTerms {
  id: string;
  createdAt: Date;
  createdBy: string;
}

export interface NewGrant {
  ownerId: string;
  consumerOrganisationId: string | null;
  consumerType: OrganisationType | null;
  classes: string[];
  purposes: string[];
  validFrom: Date;
  validUntil: Date | null;
  createdBy: string;
}

/** The owner subgraph's storage for its grants. */
export interface GrantStore<Db> {
  list(db: Db, ownerId: string): Promise<GrantRecord[]>;
  find(db: Db, id: string): Promise<GrantRecord | null>;
  create(db: Db, grant: NewGrant): Promise<GrantRecord>;
  revoke(db: Db, id: string, at: Date): Promise<GrantRecord>;
  /** Live or not: the decision checks validity against its own clock. */
  heldBy(db: Db, caller: Extract<Caller, { kind: "organisation" }>): Promise<GrantRecord[]>;
}

const CONSUMER_TYPES = ["ASSOCIATION", "BUREAU", "INDUSTRY_BODY", "FINANCIAL", "REGULATOR"] as const;

/**
 * Adds `<Owner>SharingGrant` with its query and mutations to an owner
 * subgraph, and returns their permission-table entries.
 */
export function addSharingGrants<Db>(
  builder: ReturnType<typeof createSubgraphBuilder<Db>>,
  options: { owner: string; ownerType: OrganisationType; store: GrantStore<Db> },
): PermissionTable {
  const { owner, ownerType, store } = options;
  const typeName = `${owner}SharingGrant`;
  const Purpose = purposeEnum(builder);
  const GrantableClass = builder.enumType("GrantableClass", { values: GRANTABLE_CLASSES });
  const ConsumerType = builder.enumType("GrantConsumerType", { values: CONSUMER_TYPES });

  const Grant = builder.objectRef<GrantRecord>(typeName).implement({
    description: `A ${ownerType.toLowerCase()}'s decision to share classes of its data with a consumer for some purposes.`,
    fields: (t) => ({
      id: t.exposeID("id", { nullable: false }),
      consumerOrganisationId: t.exposeID("consumerOrganisationId", { nullable: true }),
      consumerType: t.field({ type: ConsumerType, nullable: true, resolve: (g) => g.consumerType as never }),
      classes: t.field({ type: [GrantableClass], resolve: (g) => g.classes as never }),
      purposes: t.field({ type: [Purpose], resolve: (g) => g.purposes as never }),
      validFrom: t.field({ type: "DateTime", resolve: (g) => g.validFrom }),
      validUntil: t.field({ type: "DateTime", nullable: true, resolve: (g) => g.validUntil }),
      revokedAt: t.field({ type: "DateTime", nullable: true, resolve: (g) => g.revokedAt }),
      createdAt: t.field({ type: "DateTime", resolve: (g) => g.createdAt }),
    }),
  });

  const Input = builder.inputType(`Grant${owner}AccessInput`, {
    description: "Give exactly one of consumerOrganisationId and consumerType.",
    fields: (t) => ({
      consumerOrganisationId: t.id(),
      consumerType: t.field({ type: ConsumerType }),
      classes: t.field({ type: [GrantableClass], required: true }),
      purposes: t.field({ type: [Purpose], required: true }),
      validFrom: t.field({ type: "DateTime", description: "Defaults to now." }),
      validUntil: t.field({ type: "DateTime", description: "Open-ended when left out." }),
    }),
  });

  const listName = `${owner.charAt(0).toLowerCase()}${owner.slice(1)}SharingGrants`;
  builder.queryField(listName, (t) =>
    t.field({
      type: [Grant],
      description: "The calling owner's sharing grants, newest first, revoked ones included.",
      resolve: (_root, _args, { caller, db }) =>
        caller.kind === "organisation" ? store.list(db, caller.organisationId) : [],
    }),
  );

  builder.mutationField(`grant${owner}Access`, (t) =>
    t.field({
      type: Grant,
      description: "Shares classes of the calling owner's data with a consumer for the given purposes.",
      args: { input: t.arg({ type: Input, required: true }) },
      resolve: (_root, { input }, { caller, db, now }) => {
        if (caller.kind !== "organisation") throw badInput("unreachable: permission table requires a signed-in owner");
        const byOrganisation = input.consumerOrganisationId != null;
        if (byOrganisation === (input.consumerType != null))
          throw badInput("Give exactly one of consumerOrganisationId and consumerType.");
        if (byOrganisation && !isUuid(String(input.consumerOrganisationId)))
          throw badInput("consumerOrganisationId is not an organisation id.");
        if (input.classes.length === 0) throw badInput("Grant at least one class (SHARED, CONSENT).");
        if (input.purposes.length === 0) throw badInput("Grant at least one purpose.");
        const validFrom = input.validFrom ?? now();
        if (input.validUntil && input.validUntil.getTime() <= Math.max(validFrom.getTime(), now().getTime()))
          throw badInput("validUntil must be after validFrom and in the future.");
        return store.create(db, {
          ownerId: caller.organisationId,
          consumerOrganisationId: byOrganisation ? String(input.consumerOrganisationId) : null,
          consumerType: input.consumerType ?? null,
          classes: [...new Set(input.classes)],
          purposes: [...new Set(input.purposes)],
          validFrom,
          validUntil: input.validUntil ?? null,
          createdBy: caller.organisationId,
        });
      },
    }),
  );

  builder.mutationField(`revoke${owner}Access`, (t) =>
    t.field({
      type: Grant,
      description: "Revokes a sharing grant; it stops counting on the next request.",
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_root, { id }, { caller, db, now }) => {
        const grant = isUuid(String(id)) ? await store.find(db, String(id)) : null;
        if (!grant || caller.kind !== "organisation" || grant.ownerId !== caller.organisationId)
          throw notFound(`No sharing grant ${id} of yours.`);
        return grant.revokedAt ? grant : store.revoke(db, grant.id, now());
      },
    }),
  );

  const ownerStaff = rules.staffOf(ownerType);
  return {
    Query: { [listName]: ownerStaff },
    Mutation: { [`grant${owner}Access`]: ownerStaff, [`revoke${owner}Access`]: ownerStaff },
    [typeName]: { "*": rules.checkedInResolver("the owner's own grants only") },
  };
}

/** A Prisma `SharingGrant` row as the kit sees it. */
export function toGrantRecord(row: {
  id: string;
  ownerId: string;
  consumerOrganisationId: string | null;
  consumerType: string | null;
  classes: string[];
  purposes: string[];
  validFrom: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy: string;
}): GrantRecord {
  return { ...row, consumerType: row.consumerType as OrganisationType | null };
}

type GrantRow = Parameters<typeof toGrantRecord>[0];

/** The slice of a Prisma `sharingGrant` delegate the kit uses; every owner's schema has the same model. */
export interface SharingGrantDelegate {
  findMany(args: { where: object; orderBy?: object }): PromiseLike<GrantRow[]>;
  findUnique(args: { where: { id: string } }): PromiseLike<GrantRow | null>;
  create(args: { data: NewGrant }): PromiseLike<GrantRow>;
  update(args: { where: { id: string }; data: { revokedAt: Date } }): PromiseLike<GrantRow>;
}

/** A GrantStore over an owner subgraph's own `SharingGrant` table. */
export function prismaGrantStore<Db extends { sharingGrant: SharingGrantDelegate }>(): GrantStore<Db> {
  return {
    list: async (db, ownerId) =>
      (await db.sharingGrant.findMany({ where: { ownerId }, orderBy: { createdAt: "desc" } })).map(toGrantRecord),
    find: async (db, id) => {
      const row = await db.sharingGrant.findUnique({ where: { id } });
      return row && toGrantRecord(row);
    },
    create: async (db, grant) => toGrantRecord(await db.sharingGrant.create({ data: grant })),
    revoke: async (db, id, at) =>
      toGrantRecord(await db.sharingGrant.update({ where: { id }, data: { revokedAt: at } })),
    heldBy: async (db, caller) =>
      (
        await db.sharingGrant.findMany({
          where: {
            revokedAt: null,
            OR: [{ consumerOrganisationId: caller.organisationId }, { consumerType: caller.organisationType }],
          },
        })
      ).map(toGrantRecord),
  };
}

/** Consumers whose grants one owner process keeps at once; beyond it the least recently asked are read again. */
const GRANT_CACHE_ENTRIES = 10_000;

/**
 * Keeps the grants each consumer holds for `seconds`: without it every request that reads a non-public field costs
 * the owner a query for the same few rows. Exact within one owner process, whose own `grant…Access` and
 * `revoke…Access` drop what it kept for that database at once; a grant made or revoked on another replica of the same
 * owner takes effect here within `seconds` (GRANTS_CACHE_SECONDS, the bound the README states). Validity dates are
 * still checked against each request's clock (access.ts), so a grant that ends, ends on time.
 */
export function cachedGrantStore<Db extends object>(
  store: GrantStore<Db>,
  options: { seconds: () => number; now?: () => number },
): GrantStore<Db> {
  // One cache per database: a process may run several hubs' owners (tests), never sharing their grants.
  const caches = new WeakMap<Db, LRUCache<string, GrantRecord[]> | null>();
  const cacheOf = (db: Db) => {
    if (!caches.has(db)) {
      const seconds = options.seconds();
      const now = options.now;
      caches.set(
        db,
        seconds > 0
          ? new LRUCache<string, GrantRecord[]>({
              max: GRANT_CACHE_ENTRIES,
              ttl: seconds * 1000,
              // Read the clock on every look: lru-cache's default reuses one reading for 1 ms of real time.
              ttlResolution: 0,
              ...(now ? { perf: { now } } : {}),
            })
          : null,
      );
    }
    return caches.get(db) ?? null;
  };
  return {
    ...store,
    create: async (db, grant) => {
      try {
        return await store.create(db, grant);
      } finally {
        cacheOf(db)?.clear();
      }
    },
    revoke: async (db, id, at) => {
      try {
        return await store.revoke(db, id, at);
      } finally {
        cacheOf(db)?.clear();
      }
    },
    heldBy: async (db, caller) => {
      const cache = cacheOf(db);
      if (!cache) return store.heldBy(db, caller);
      const key = `${caller.organisationId}|${caller.organisationType}`;
      const kept = cache.get(key);
      if (kept) return kept;
      const grants = await store.heldBy(db, caller);
      cache.set(key, grants);
      return grants;
    },
  };
}
