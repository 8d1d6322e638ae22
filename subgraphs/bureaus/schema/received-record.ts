import type { ReceivedRecord } from "../../../prisma/bureaus/generated/client.ts";
import { badInput } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { isUuid } from "../../sdk/validation.ts";
import { builder, EnterpriseRef, OrganisationRef, RECORD_SOURCE } from "../owner.ts";

/**
 * Records associations share with a bureau, kept by the bureau exactly as the
 * association signed them: the bureau's sync hands the signed entries of the
 * associations' feed (`sharedRecordChanges { changes { signed } }`) to
 * `importSharedRecords`, which verifies each against the associations'
 * public key and the calling bureau before anything is stored.
 */

const MAX_IMPORT = 500;

const ReceivedRecordStatusEnum = builder.enumType("ReceivedRecordStatus", { values: ["ACTIVE", "RETRACTED"] as const });

export const ReceivedRecordRef = builder.objectRef<ReceivedRecord>("ReceivedRecord").implement({
  description:
    "A credit record an association shared with a bureau, as the association signed it. The bureau keeps it; its SHARED grants decide who else sees it.",
  ...subjectOf<ReceivedRecord>((r) => ({ ownerId: r.ownerId, uscc: r.uscc }), { exists: "SHARED" }),
  fields: (t) => ({
    id: t.exposeID("id", classified("SHARED")),
    bureau: t.field({ type: OrganisationRef, ...classified("SHARED"), resolve: (r) => ({ id: r.ownerId }) }),
    sourceOwner: t.field({
      type: OrganisationRef,
      description: "The association whose record it is.",
      ...classified("SHARED"),
      resolve: (r) => ({ id: r.sourceOwnerId }),
    }),
    sourceRecordId: t.exposeID("sourceRecordId", classified("SHARED")),
    lastChange: t.exposeString("lastChange", {
      description: "The latest change applied: NEW, CORRECTED, DISPUTED, RESOLVED, RETRACTED…",
      ...classified("SHARED"),
    }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (r) => ({ uscc: r.uscc }) }),
    polarity: t.exposeString("polarity", classified("SHARED")),
    category: t.exposeString("category", classified("SHARED")),
    occurredOn: t.field({ type: "Date", ...classified("SHARED"), resolve: (r) => r.occurredOn }),
    endedOn: t.field({ type: "Date", nullable: true, ...classified("SHARED"), resolve: (r) => r.endedOn }),
    status: t.field({ type: ReceivedRecordStatusEnum, ...classified("SHARED"), resolve: (r) => r.status }),
    disputed: t.exposeBoolean("disputed", classified("SHARED")),
    statement: t.exposeString("statement", { nullable: true, ...classified("SHARED") }),
    receivedAt: t.field({ type: "DateTime", ...classified("SHARED"), resolve: (r) => r.receivedAt }),
    signed: t.exposeString("signed", {
      description: "The association's signed release, as received: verify it with associationsAuditPublicKey.",
      ...classified("SHARED"),
    }),
  }),
});

builder.objectField(EnterpriseRef, "receivedRecords", (t) =>
  t.field({
    type: [ReceivedRecordRef],
    description: "Records associations shared with bureaus, as the bureaus keep them; each field as its class allows.",
    ...classified("PUBLIC"),
    args: { includeRetracted: t.arg.boolean({ defaultValue: false }) },
    resolve: ({ uscc }, { includeRetracted }, { db, loaders }) =>
      requestLoader(loaders, `receivedRecords:${includeRetracted}`, async (usccs: readonly string[]) =>
        groupBy(
          usccs,
          await db.receivedRecord.findMany({
            where: { uscc: { in: [...usccs] }, ...(includeRetracted ? {} : { status: "ACTIVE" }) },
            orderBy: [{ occurredOn: "desc" }, { receivedAt: "desc" }],
          }),
          (r) => r.uscc,
        ),
      ).load(uscc),
  }),
);

/** One verified change, as importSharedRecords applies it. */
interface SignedChange {
  seq: bigint;
  kind: string;
  owner: string;
  uscc: string;
  recordId: string;
  record: {
    polarity: "POSITIVE" | "NEGATIVE";
    category: string;
    occurredOn: Date;
    endedOn: Date | null;
    status: "ACTIVE" | "RETRACTED";
    disputed: boolean;
    statement: string | null;
  } | null;
  signed: string;
}

/** The verified payload, checked field by field: a signature proves the origin, not that the shape is what we expect. */
function readChange(payload: Record<string, unknown>, signed: string, index: number): SignedChange {
  const wrong = (what: string) => badInput(`signed[${index}]: ${what}.`);
  const { seq, kind, owner, uscc, recordId, record } = payload as Record<string, unknown>;
  if (typeof seq !== "string" || !/^\d{1,19}$/.test(seq)) throw wrong("no feed position");
  if (typeof kind !== "string" || typeof uscc !== "string" || typeof owner !== "string" || !isUuid(owner))
    throw wrong("not a record change");
  if (typeof recordId !== "string" || !isUuid(recordId)) throw wrong("no record id");
  let body: SignedChange["record"] = null;
  if (record !== null) {
    const r = record as Record<string, unknown>;
    const date = (v: unknown) =>
      typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : null;
    const occurredOn = date(r.occurredOn);
    if (
      (r.polarity !== "POSITIVE" && r.polarity !== "NEGATIVE") ||
      typeof r.category !== "string" ||
      !occurredOn ||
      (r.status !== "ACTIVE" && r.status !== "RETRACTED")
    )
      throw wrong("the record is not in the expected form");
    body = {
      polarity: r.polarity,
      category: r.category,
      occurredOn,
      endedOn: date(r.endedOn),
      status: r.status,
      disputed: r.disputed === true,
      statement: typeof r.statement === "string" ? r.statement : null,
    };
  }
  return { seq: BigInt(seq), kind, owner, uscc, recordId, record: body, signed };
}

const ImportResultRef = builder
  .objectRef<{ applied: number; unchanged: number; removed: number; cursor: string | null }>("SharedRecordImport")
  .implement({
    description: "What importSharedRecords did.",
    fields: (t) => ({
      applied: t.exposeInt("applied", { description: "Changes stored (new records, or newer states of known ones)." }),
      unchanged: t.exposeInt("unchanged", { description: "Changes older than what the bureau already keeps." }),
      removed: t.exposeInt("removed", {
        description: "Records the association no longer shares (past retention or purged), removed here too.",
      }),
      cursor: t.exposeString("cursor", {
        nullable: true,
        description: "Where the bureau's sync resumes the associations' feed (`after`).",
      }),
    }),
  });

builder.queryField("receivedRecordsCursor", (t) =>
  t.string({
    nullable: true,
    description: "For a bureau: how far it has imported the associations' feed; pass as `after` to resume.",
    resolve: async (_root, _args, { caller, db }) => {
      const bureau = requireOrganisation(caller);
      const row = await db.feedCursor.findUnique({
        where: { ownerId_source: { ownerId: bureau.organisationId, source: RECORD_SOURCE } },
      });
      return row?.seq.toString() ?? null;
    },
  }),
);

builder.mutationField("importSharedRecords", (t) =>
  t.field({
    type: ImportResultRef,
    description: `The calling bureau keeps records associations shared with it: pass the \`signed\` entries of \`sharedRecordChanges\`, in feed order, up to ${MAX_IMPORT} at a time. Each must verify as the associations subgraph's release to this bureau; if one does not, nothing is stored. Importing the same change twice changes nothing.`,
    args: { signed: t.arg.stringList({ required: true }) },
    resolve: async (_root, args, { caller, db, now, audit, signatures }) => {
      const bureau = requireOrganisation(caller);
      if (args.signed.length === 0 || args.signed.length > MAX_IMPORT)
        throw badInput(`Pass between 1 and ${MAX_IMPORT} signed changes; got ${args.signed.length}.`);
      const changes: SignedChange[] = [];
      for (const [i, jws] of args.signed.entries()) {
        const { source, payload } = await signatures.verify(jws, bureau.organisationId).catch((error: Error) => {
          throw badInput(`signed[${i}]: ${error.message}`);
        });
        if (source !== RECORD_SOURCE)
          throw badInput(`signed[${i}]: bureaus import records from ${RECORD_SOURCE} only.`);
        changes.push(readChange(payload, jws, i));
      }
      changes.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      const at = now();
      return db.$transaction(async (tx) => {
        let applied = 0;
        let unchanged = 0;
        let removed = 0;
        const entries: ReturnType<typeof changeEntry>[] = [];
        const known = new Map(
          (
            await tx.receivedRecord.findMany({
              where: {
                ownerId: bureau.organisationId,
                source: RECORD_SOURCE,
                sourceRecordId: { in: [...new Set(changes.map((c) => c.recordId))] },
              },
            })
          ).map((r) => [r.sourceRecordId, r]),
        );
        for (const c of changes) {
          const key = { ownerId: bureau.organisationId, source: RECORD_SOURCE, sourceRecordId: c.recordId };
          const existing = known.get(c.recordId);
          if (existing && existing.sourceSeq >= c.seq) {
            unchanged++;
            continue;
          }
          if (!c.record) {
            // The association no longer shares it (past retention, or purged): neither does the bureau.
            if (existing) {
              await tx.receivedRecord.delete({ where: { id: existing.id } });
              known.delete(c.recordId);
              entries.push(changeEntry(existing, "ReceivedRecord", { removed: existing.id, change: c.kind }));
              removed++;
            } else unchanged++;
            continue;
          }
          const data = {
            sourceOwnerId: c.owner,
            sourceSeq: c.seq,
            lastChange: c.kind,
            uscc: c.uscc,
            ...c.record,
            signed: c.signed,
            receivedAt: at,
          };
          const row = await tx.receivedRecord.upsert({
            where: { ownerId_source_sourceRecordId: key },
            create: { ...key, ...data },
            update: data,
          });
          known.set(c.recordId, row);
          entries.push(
            changeEntry(row, "ReceivedRecord", { received: c.recordId, change: c.kind, seq: c.seq.toString() }),
          );
          applied++;
        }
        if (entries.length) await audit.write(tx, entries, at);
        const last = changes.at(-1)?.seq ?? 0n;
        const cursorKey = { ownerId: bureau.organisationId, source: RECORD_SOURCE };
        const cursor = await tx.feedCursor.findUnique({ where: { ownerId_source: cursorKey } });
        const seq = cursor && cursor.seq > last ? cursor.seq : last;
        await tx.feedCursor.upsert({
          where: { ownerId_source: cursorKey },
          create: { ...cursorKey, seq, updatedAt: at },
          update: { seq, updatedAt: at },
        });
        return { applied, unchanged, removed, cursor: seq.toString() };
      });
    },
  }),
);
