import type { ObjectRef } from "@pothos/core";
import { queryKind } from "../../protocol/access-terms.ts";
import { badInput, forbidden } from "../../protocol/errors.ts";
import type { OrganisationType } from "../../protocol/identity.ts";
import type { AuditDb, AuditRow, CheckpointRow } from "./audit.ts";
import type { createSubgraphBuilder, SdkTypes } from "./builder.ts";
import { type PermissionTable, rules } from "./permissions.ts";

/**
 * What an owner subgraph publishes of its audit log: each enterprise's access
 * history (who looked, when, why, which fields, allowed or denied) and the
 * signed checkpoints anyone may keep to verify the chain later. The same
 * value types in every owner subgraph; root and entity fields named after it.
 */
/**
 * `<prefix>AuditPublicKey`: the owner's published key, which verifies its audit checkpoints and what it signs (records,
 * receipts). Returns the field's name; anyone may read it.
 */
export function addAuditKeyField<Db>(builder: ReturnType<typeof createSubgraphBuilder<Db>>, prefix: string): string {
  const keyField = `${prefix}AuditPublicKey`;
  builder.queryField(keyField, (t) =>
    t.string({
      nullable: true,
      description: `The public key (JWK) that verifies ${prefix}' audit checkpoints and what it signs. Open to anyone.`,
      resolve: (_root, _args, { auditPublicJwk }) => (auditPublicJwk ? JSON.stringify(auditPublicJwk) : null),
    }),
  );
  return keyField;
}

export function addAuditSchema<Db>(
  builder: ReturnType<typeof createSubgraphBuilder<Db>>,
  options: {
    /** e.g. "associations": fields become associationsAccessHistory, associationsAuditCheckpoints… */
    prefix: string;
    /** The kind of organisation that owns data here; its staff see the entries about their own data. */
    ownerType: OrganisationType;
    enterprise: ObjectRef<SdkTypes<Db>, { uscc: string }>;
    organisation: ObjectRef<SdkTypes<Db>, { id: string }>;
    audit: (db: Db) => AuditDb;
  },
): PermissionTable {
  const { prefix, audit } = options;
  const shareable = { shareable: true } as const;

  const QueryKind = builder.enumType("QueryKind", { values: ["APPLICATION", "MONITORING", "OTHER"] as const });

  const AccessEvent = builder.objectRef<AuditRow>("AccessEvent").implement({
    description: "One release or denial of an enterprise's non-public data, as its owner recorded it.",
    fields: (t) => ({
      at: t.field({ type: "DateTime", ...shareable, resolve: (e) => e.at }),
      requestId: t.exposeString("requestId", shareable),
      owner: t.field({
        type: options.organisation,
        nullable: true,
        ...shareable,
        description: "Whose data it was.",
        resolve: (e) => (e.ownerId ? { id: e.ownerId } : null),
      }),
      caller: t.field({
        type: options.organisation,
        nullable: true,
        ...shareable,
        description: "Who asked; null when nobody signed in.",
        resolve: (e) => (e.callerId ? { id: e.callerId } : null),
      }),
      callerType: t.exposeString("callerType", { nullable: true, ...shareable }),
      purpose: t.exposeString("purpose", { nullable: true, ...shareable }),
      queryKind: t.field({
        type: QueryKind,
        ...shareable,
        description:
          "APPLICATION when an application for credit caused the query, MONITORING for an existing relationship.",
        resolve: (e) => queryKind(e.purpose),
      }),
      decision: t.exposeString("decision", { ...shareable, description: "RELEASED or DENIED." }),
      fields: t.exposeStringList("fields", { ...shareable, description: "`Type.field` of each field asked for." }),
    }),
  });

  const AccessHistoryPage = builder
    .objectRef<{ events: AuditRow[]; next: string | null }>("AccessHistoryPage")
    .implement({
      fields: (t) => ({
        events: t.field({ type: [AccessEvent], ...shareable, resolve: (p) => p.events }),
        nextCursor: t.string({
          nullable: true,
          ...shareable,
          description: "Pass as `before` for the next (older) page; null on the last.",
          resolve: (p) => p.next,
        }),
      }),
    });

  const Checkpoint = builder.objectRef<CheckpointRow>("AuditCheckpoint").implement({
    description: "The owner's signature over its audit chain head. Keep them: they expose any later rewrite.",
    fields: (t) => ({
      seq: t.string({ ...shareable, resolve: (c) => c.seq.toString() }),
      hash: t.exposeString("hash", shareable),
      at: t.field({ type: "DateTime", ...shareable, resolve: (c) => c.at }),
      keyId: t.exposeString("keyId", shareable),
      signature: t.exposeString("signature", {
        ...shareable,
        description: "A compact JWS (EdDSA) of {seq, hash, at}.",
      }),
    }),
  });

  const historyField = `${prefix}AccessHistory`;
  builder.objectField(options.enterprise, historyField, (t) =>
    t.field({
      type: AccessHistoryPage,
      description: `Who looked at this enterprise's data kept in ${prefix}, newest first: for the enterprise itself, or an owner for its own data.`,
      args: {
        first: t.arg.int({ defaultValue: 20 }),
        before: t.arg.string({ description: "A cursor from a previous page." }),
      },
      resolve: async ({ uscc }, args, { caller, db, access }) => {
        const isEnterprise =
          caller.kind === "organisation" && caller.organisationType === "ENTERPRISE" && caller.uscc === uscc;
        const isOwner = caller.kind === "organisation" && caller.organisationType === options.ownerType;
        if (!isEnterprise && !isOwner) {
          // Who looked is itself the enterprise's data: a refused look at it is in the history like any other.
          access.note({ subject: { ownerId: null, uscc }, field: `Enterprise.${historyField}`, allowed: false });
          throw forbidden("Only the enterprise itself can see who looked at its data.");
        }
        const first = args.first ?? 20;
        if (first < 1 || first > 200) throw badInput("first must be between 1 and 200.");
        if (args.before != null && !/^\d{1,19}$/.test(args.before))
          throw badInput("before is not a cursor from this field.");
        const events = await audit(db).auditEntry.findMany({
          where: {
            uscc,
            action: "READ",
            ...(isEnterprise ? {} : { ownerId: caller.kind === "organisation" ? caller.organisationId : "" }),
            ...(args.before ? { seq: { lt: BigInt(args.before) } } : {}),
          },
          orderBy: { seq: "desc" },
          take: first + 1,
        });
        const page = events.slice(0, first);
        return { events: page, next: events.length > first ? (page.at(-1)?.seq.toString() ?? null) : null };
      },
    }),
  );

  const CheckpointPage = builder
    .objectRef<{ checkpoints: CheckpointRow[]; next: string | null }>("AuditCheckpointPage")
    .implement({
      fields: (t) => ({
        checkpoints: t.field({ type: [Checkpoint], ...shareable, resolve: (p) => p.checkpoints }),
        nextCursor: t.string({
          nullable: true,
          ...shareable,
          description: "Pass as `after` for the next (newer) page; null on the last.",
          resolve: (p) => p.next,
        }),
      }),
    });

  const checkpointsField = `${prefix}AuditCheckpoints`;
  builder.queryField(checkpointsField, (t) =>
    t.field({
      type: CheckpointPage,
      description: `The signed checkpoints of ${prefix}' audit chain, oldest first, a page at a time. Open to anyone.`,
      args: {
        first: t.arg.int({ defaultValue: 100, description: "At most 100." }),
        after: t.arg.string({ description: "A cursor from a previous page." }),
      },
      resolve: async (_root, args, { db }) => {
        const first = args.first ?? 100;
        if (first < 1 || first > 100) throw badInput("first must be between 1 and 100.");
        if (args.after != null && !/^\d{1,19}$/.test(args.after))
          throw badInput("after is not a cursor from this field.");
        const rows = await audit(db).auditCheckpoint.findMany({
          where: args.after ? { seq: { gt: BigInt(args.after) } } : {},
          orderBy: { seq: "asc" },
          take: first + 1,
        });
        const page = rows.slice(0, first);
        return { checkpoints: page, next: rows.length > first ? (page.at(-1)?.seq.toString() ?? null) : null };
      },
    }),
  );
  const keyField = addAuditKeyField(builder, prefix);

  const inResolver = rules.checkedInResolver("the enterprise itself, or an owner for its own entries");
  return {
    Query: { [checkpointsField]: rules.anyone, [keyField]: rules.anyone },
    Enterprise: { [historyField]: inResolver },
    AccessEvent: { "*": inResolver },
    AccessHistoryPage: { "*": inResolver },
    AuditCheckpoint: { "*": rules.anyone },
    AuditCheckpointPage: { "*": rules.anyone },
  };
}
